package io.sftprep.core.template;

/**
 * jinja2's default {@code Undefined}: prints as empty text, is false, iterates as empty, has length 0, and raises
 * {@code UndefinedError} (or the sandbox's {@code SecurityError}) as soon as it is used for anything else.
 */
final class Undefined {
  static final Undefined PLAIN = new Undefined(null, null, false, null, null);
  private static final Object MISSING = new Object();

  private final String name; // variable, attribute or item name
  private final Object owner; // object the attribute was looked up on (MISSING for a plain name)
  private final boolean hasOwner;
  private final String hint;
  private final String errorType;

  private Undefined(String name, Object owner, boolean hasOwner, String hint, String errorType) {
    this.name = name;
    this.owner = owner;
    this.hasOwner = hasOwner;
    this.hint = hint;
    this.errorType = errorType;
  }

  static Undefined name(String name) {
    return new Undefined(name, MISSING, false, null, null);
  }

  static Undefined attribute(Object owner, Object key) {
    return new Undefined(key instanceof String ? (String) key : null, owner, true,
        key instanceof String ? null : Py.typeRepr(owner) + " has no element " + Py.repr(key), null);
  }

  static Undefined unsafe(Object owner, String attr) {
    return new Undefined(attr, owner, true,
        "access to attribute '" + attr + "' of '" + Py.typeName(owner) + "' object is unsafe.", "SecurityError");
  }

  static Undefined hint(String hint) {
    return new Undefined(null, MISSING, false, hint, null);
  }

  TemplateException error() {
    String type = errorType != null ? errorType : "UndefinedError";
    if (hint != null) return new TemplateException(type, hint);
    if (!hasOwner) {
      return new TemplateException(type, name == null ? "value is undefined" : "'" + name + "' is undefined");
    }
    return new TemplateException(type, "'" + Py.typeRepr(owner) + "' has no attribute '" + name + "'");
  }

  @Override
  public String toString() {
    return "";
  }
}
