package io.sftprep.core.template;

import java.util.LinkedHashMap;
import java.util.Map;

/** jinja2's {@code namespace(...)}: the one mutable object a template may change ({@code set ns.x = ...}). */
final class Namespace {
  final Map<String, Object> attrs = new LinkedHashMap<>();

  @Override
  public String toString() {
    return Py.repr(this);
  }
}
