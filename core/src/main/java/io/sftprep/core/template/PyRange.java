package io.sftprep.core.template;

import java.util.AbstractList;
import java.util.RandomAccess;

/** Python's {@code range(start, stop, step)}: a lazy sequence of ints; the sandbox caps its length. */
final class PyRange extends AbstractList<Object> implements RandomAccess {
  static final int MAX_RANGE = 100_000; // jinja2.sandbox.MAX_RANGE
  private final long start;
  private final long stop;
  private final long step;
  private final int size;

  PyRange(long start, long stop, long step) {
    if (step == 0) throw new TemplateException("ValueError", "range() arg 3 must not be zero");
    this.start = start;
    this.stop = stop;
    this.step = step;
    long n;
    if (step > 0) n = stop > start ? (stop - start + step - 1) / step : 0;
    else n = start > stop ? (start - stop - step - 1) / (-step) : 0;
    if (n > MAX_RANGE) {
      throw new TemplateException("OverflowError", "Range too big. The sandbox blocks ranges larger than MAX_RANGE ("
          + MAX_RANGE + ").");
    }
    this.size = (int) n;
  }

  @Override
  public Object get(int index) {
    return start + index * step;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public String toString() {
    return step == 1 ? "range(" + start + ", " + stop + ")" : "range(" + start + ", " + stop + ", " + step + ")";
  }
}
