package io.sftprep.core.tokenize;

/**
 * Token ids of a text and, per token, the {@code [start, end)} range of the text it came from, in Java chars.
 * Arrays are owned by this value; callers must not change them.
 */
public record Encoded(int[] ids, int[] starts, int[] ends) {
  public Encoded {
    if (ids.length != starts.length || ids.length != ends.length) {
      throw new IllegalArgumentException("Cannot make encoding: " + ids.length + " ids but " + starts.length
          + " starts and " + ends.length + " ends");
    }
  }

  public int size() {
    return ids.length;
  }
}
