package io.sftprep.core.template;

import java.util.ArrayList;
import java.util.List;

/** A Python slice {@code [start:stop:step]} (any part may be None), applied to lists, tuples and strings. */
final class Slice {
  final Object start;
  final Object stop;
  final Object step;

  Slice(Object start, Object stop, Object step) {
    this.start = start;
    this.stop = stop;
    this.step = step;
  }

  private static long bound(Object v, long dflt) {
    if (v == null) return dflt;
    if (v instanceof Undefined) throw ((Undefined) v).error();
    if (v instanceof java.math.BigInteger) { // clamped, as Python clamps slice bounds past ssize_t
      return ((java.math.BigInteger) v).signum() < 0 ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
    }
    if (!(v instanceof Long || v instanceof Boolean || v instanceof Integer)) {
      throw TemplateException.typeError("slice indices must be integers or None or have an __index__ method");
    }
    return Py.toLong(v);
  }

  /** The indices this slice selects from a sequence of {@code n} elements, in order. */
  int[] indices(int n) {
    long st = bound(step, 1);
    if (st == 0) throw new TemplateException("ValueError", "slice step cannot be zero");
    long lo;
    long hi;
    if (st > 0) {
      lo = clamp(bound(start, 0), n, 0, n);
      hi = clamp(bound(stop, n), n, 0, n);
      if (hi <= lo) return new int[0];
      int count = (int) ((hi - lo + st - 1) / st);
      int[] r = new int[count];
      for (int i = 0; i < count; i++) r[i] = (int) (lo + i * st);
      return r;
    }
    lo = clamp(bound(start, n - 1), n, -1, n - 1);
    hi = stop == null ? -1 : clamp(bound(stop, -1), n, -1, n - 1);
    if (lo <= hi) return new int[0];
    int count = (int) ((lo - hi + (-st) - 1) / (-st));
    int[] r = new int[count];
    for (int i = 0; i < count; i++) r[i] = (int) (lo + i * st);
    return r;
  }

  private static long clamp(long i, int n, long min, long max) {
    if (i < 0) i += n;
    if (i < min) return min;
    return Math.min(i, max);
  }

  Object apply(Object obj) {
    if (obj instanceof CharSequence) {
      String s = obj.toString();
      int[] cps = s.codePoints().toArray();
      int[] idx = indices(cps.length);
      StringBuilder sb = new StringBuilder(idx.length);
      for (int i : idx) sb.appendCodePoint(cps[i]);
      return sb.toString();
    }
    if (obj instanceof List) {
      List<?> l = (List<?>) obj;
      int[] idx = indices(l.size());
      List<Object> r = new ArrayList<>(idx.length);
      for (int i : idx) r.add(l.get(i));
      return obj instanceof PyTuple ? PyTuple.copyOf(r) : r;
    }
    // jinja2 slices with Python's own subscript, outside the sandbox's getitem: the error is not turned undefined
    if (obj instanceof java.util.Map) throw TemplateException.typeError("unhashable type: 'slice'");
    throw TemplateException.typeError("'" + Py.typeName(obj) + "' object is not subscriptable");
  }

  @Override
  public String toString() {
    return "slice(" + Py.repr(start) + ", " + Py.repr(stop) + ", " + Py.repr(step) + ")";
  }
}
