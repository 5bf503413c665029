package io.sftprep.core.mask;

/** A {@code [start, end)} range of rendered text, in Java chars, that is to be trained on. */
public record CharSpan(int start, int end) {
  public CharSpan {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("Cannot make span: need 0 <= start <= end, got [" + start + ", " + end + ")");
    }
  }
}
