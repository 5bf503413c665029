package io.sftprep.core.template;

import java.util.Iterator;
import java.util.List;

/**
 * What {@code d.keys()}, {@code d.values()} and {@code d.items()} return in Python: iterable and sized, with
 * {@code in}, but not a list: not subscriptable, not JSON, printed as {@code dict_items([('role', 'user')])}.
 */
final class DictView implements Iterable<Object> {
  /** {@code dict_keys}, {@code dict_values} or {@code dict_items}: Python's type name. */
  final String kind;
  final List<Object> items;

  DictView(String kind, List<Object> items) {
    this.kind = kind;
    this.items = items;
  }

  int size() {
    return items.size();
  }

  @Override
  public Iterator<Object> iterator() {
    return items.iterator();
  }
}
