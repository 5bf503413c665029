package io.sftprep.core.template;

import java.util.Arrays;

/**
 * One frame of template variables: the top level, one iteration of a for loop, one macro call, a with block.
 * Lookup walks outwards; assignment always binds in this frame, which is jinja2's scoping (a {@code set} inside a
 * loop body is gone at the next iteration and after the loop; one inside an {@code if} is not scoped).
 */
final class Scope {
  static final Object NOT_FOUND = new Object();
  private static final String[] NO_NAMES = new String[0];

  final Scope parent;
  private String[] names = NO_NAMES;
  private Object[] values;
  private int size;

  Scope(Scope parent) {
    this.parent = parent;
  }

  Object lookup(String name) {
    for (Scope s = this; s != null; s = s.parent) {
      int i = s.indexOf(name);
      if (i >= 0) return s.values[i];
    }
    return NOT_FOUND;
  }

  private int indexOf(String name) {
    String[] n = names;
    for (int i = 0; i < size; i++) {
      if (n[i] == name || n[i].equals(name)) return i;
    }
    return -1;
  }

  void set(String name, Object value) {
    int i = indexOf(name);
    if (i >= 0) {
      values[i] = value;
      return;
    }
    if (size == names.length) {
      int cap = size == 0 ? 4 : size * 2;
      names = Arrays.copyOf(names, cap);
      values = values == null ? new Object[cap] : Arrays.copyOf(values, cap);
    }
    names[size] = name;
    values[size] = value;
    size++;
  }
}
