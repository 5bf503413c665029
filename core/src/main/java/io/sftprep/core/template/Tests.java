package io.sftprep.core.template;

import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** jinja2's builtin tests ({@code x is defined}, {@code x is string}, ...), with jinja2's exact type rules. */
final class Tests {
  private Tests() {}

  @FunctionalInterface
  interface Fn {
    boolean test(Interpreter in, Object value, List<Object> args, Map<String, Object> kwargs);
  }

  private static final Map<String, Fn> ALL = new HashMap<>();

  static Fn get(String name) {
    return ALL.get(name);
  }

  private static Object arg(List<Object> args, Map<String, Object> kw, String name) {
    if (!args.isEmpty()) return args.get(0);
    if (kw != null && kw.containsKey(name)) return kw.get(name);
    throw TemplateException.typeError("test missing required argument '" + name + "'");
  }

  private static boolean isInt(Object v) {
    return v instanceof Long || v instanceof BigInteger || v instanceof Integer;
  }

  static {
    ALL.put("defined", (in, v, a, k) -> !(v instanceof Undefined));
    ALL.put("undefined", (in, v, a, k) -> v instanceof Undefined);
    ALL.put("none", (in, v, a, k) -> v == null);
    ALL.put("boolean", (in, v, a, k) -> v instanceof Boolean);
    ALL.put("true", (in, v, a, k) -> Boolean.TRUE.equals(v));
    ALL.put("false", (in, v, a, k) -> Boolean.FALSE.equals(v));
    ALL.put("integer", (in, v, a, k) -> isInt(v));
    ALL.put("float", (in, v, a, k) -> v instanceof Double);
    ALL.put("number", (in, v, a, k) -> Py.isNumber(v));
    ALL.put("string", (in, v, a, k) -> v instanceof CharSequence);
    ALL.put("mapping", (in, v, a, k) -> v instanceof Map);
    ALL.put("sequence", (in, v, a, k) ->
        v instanceof CharSequence || v instanceof Collection || v instanceof Map || v instanceof Undefined);
    ALL.put("iterable", (in, v, a, k) -> v instanceof CharSequence || v instanceof Collection || v instanceof Map
        || v instanceof Undefined || v instanceof LoopContext || v instanceof DictView);
    ALL.put("callable", (in, v, a, k) -> v instanceof PyCallable || v instanceof Undefined);
    ALL.put("escaped", (in, v, a, k) -> v instanceof Markup);
    ALL.put("lower", (in, v, a, k) -> PyStrings.isLowerStr(Py.str(v)));
    ALL.put("upper", (in, v, a, k) -> PyStrings.isUpperStr(Py.str(v)));
    ALL.put("odd", (in, v, a, k) -> Py.truthy(Py.eq(Py.mod(in, v, 2L), 1L)));
    ALL.put("even", (in, v, a, k) -> Py.eq(Py.mod(in, v, 2L), 0L));
    ALL.put("divisibleby", (in, v, a, k) -> Py.eq(Py.mod(in, v, arg(a, k, "num")), 0L));
    ALL.put("sameas", (in, v, a, k) -> sameAs(v, arg(a, k, "other")));
    ALL.put("in", (in, v, a, k) -> Py.contains(arg(a, k, "seq"), v));
    ALL.put("filter", (in, v, a, k) -> v instanceof CharSequence && Filters.get(v.toString()) != null);
    ALL.put("test", (in, v, a, k) -> v instanceof CharSequence && get(v.toString()) != null);
    Fn eq = (in, v, a, k) -> Py.eq(v, arg(a, k, "other"));
    ALL.put("==", eq);
    ALL.put("eq", eq);
    ALL.put("equalto", eq);
    Fn ne = (in, v, a, k) -> !Py.eq(v, arg(a, k, "other"));
    ALL.put("!=", ne);
    ALL.put("ne", ne);
    Fn gt = (in, v, a, k) -> Expr.Compare.compare(">", v, arg(a, k, "other"));
    ALL.put(">", gt);
    ALL.put("gt", gt);
    ALL.put("greaterthan", gt);
    Fn ge = (in, v, a, k) -> Expr.Compare.compare(">=", v, arg(a, k, "other"));
    ALL.put(">=", ge);
    ALL.put("ge", ge);
    Fn lt = (in, v, a, k) -> Expr.Compare.compare("<", v, arg(a, k, "other"));
    ALL.put("<", lt);
    ALL.put("lt", lt);
    ALL.put("lessthan", lt);
    Fn le = (in, v, a, k) -> Expr.Compare.compare("<=", v, arg(a, k, "other"));
    ALL.put("<=", le);
    ALL.put("le", le);
  }

  /** Python's {@code is}: identity, which for the values a template sees means same singleton or same object. */
  private static boolean sameAs(Object a, Object b) {
    if (a == b) return true;
    if (a == null || b == null) return false;
    if (a instanceof Boolean || b instanceof Boolean) return a.equals(b);
    if (a instanceof Long && b instanceof Long) {
      long x = (Long) a;
      return x == (Long) b && x >= -5 && x <= 256; // CPython's small-int cache
    }
    return false;
  }
}
