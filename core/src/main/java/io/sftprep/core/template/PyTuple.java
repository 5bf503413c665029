package io.sftprep.core.template;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/** A Python tuple: an immutable list that prints as {@code (1, 2)} and {@code ('a',)}. */
final class PyTuple extends AbstractList<Object> implements RandomAccess {
  static final PyTuple EMPTY = new PyTuple(new Object[0]);
  private final Object[] items;

  private PyTuple(Object[] items) {
    this.items = items;
  }

  static PyTuple of(Object... items) {
    return new PyTuple(items.clone());
  }

  static PyTuple copyOf(List<?> items) {
    return new PyTuple(items.toArray());
  }

  @Override
  public Object get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }
}
