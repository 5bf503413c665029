package io.sftprep.core.template;

import java.util.List;
import java.util.Map;

/**
 * A Python function, class or bound method a template can reach ({@code range}, {@code dict}, {@code cycler},
 * {@code loop.cycle}, ...): callable, and typed and printed as Python types and prints it, less the memory address.
 * Its only attributes are the ones jinja2's sandbox refuses ({@code __globals__}, {@code __init__}, {@code mro}).
 *
 * <pre>{@code {{ dict }} -> <class 'dict'>     {{ range }} -> <function safe_range>}</pre>
 */
final class PyFunction implements PyCallable, HasAttributes {
  /** Python's type name: {@code function}, {@code type} or {@code method}. */
  final String pythonType;
  private final String repr;
  private final PyCallable body;
  private final Map<String, Object> attributes;

  private PyFunction(String pythonType, String repr, PyCallable body, Map<String, Object> attributes) {
    this.pythonType = pythonType;
    this.repr = repr;
    this.body = body;
    this.attributes = attributes;
  }

  private PyFunction(String pythonType, String repr, PyCallable body) {
    this(pythonType, repr, body, Map.of());
  }

  /** This class with one more public attribute ({@code dict.fromkeys}). */
  PyFunction with(String name, Object value) {
    Map<String, Object> a = new java.util.HashMap<>(attributes);
    a.put(name, value);
    return new PyFunction(pythonType, repr, body, Map.copyOf(a));
  }

  static PyFunction function(String qualifiedName, PyCallable body) {
    return new PyFunction("function", "<function " + qualifiedName + ">", body);
  }

  static PyFunction type(String qualifiedName, PyCallable body) {
    return new PyFunction("type", "<class '" + qualifiedName + "'>", body);
  }

  static PyFunction builtinMethod(String name, String ownerType, PyCallable body) {
    return new PyFunction("builtin_function_or_method", "<built-in method " + name + " of " + ownerType + " object>",
        body);
  }

  static PyFunction method(String owner, String name, Object self, PyCallable body) {
    return new PyFunction("method", "<bound method " + owner + "." + name + " of " + Py.repr(self) + ">", body);
  }

  @Override
  public Object call(Interpreter in, List<Object> args, Map<String, Object> kwargs) {
    return body.call(in, args, kwargs);
  }

  @Override
  public Object attribute(String name) {
    // jinja2.sandbox.is_internal_attribute: a class's mro is refused like its dunder attributes
    if (pythonType.equals("type") && name.equals("mro")) return Undefined.unsafe(this, name);
    Object v = attributes.get(name);
    return v != null ? v : Undefined.attribute(this, name);
  }

  @Override
  public String toString() {
    return repr;
  }
}
