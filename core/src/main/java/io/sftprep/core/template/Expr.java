package io.sftprep.core.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Expression nodes; each evaluates itself with Python's semantics (see {@link Py}). */
abstract class Expr {
  abstract Object eval(Interpreter in, Scope s);

  static final class Const extends Expr {
    final Object value;

    Const(Object value) {
      this.value = value;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      return value;
    }
  }

  static final class Name extends Expr {
    final String name;

    Name(String name) {
      this.name = name.intern();
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      return in.resolve(s, name);
    }
  }

  static final class GetAttr extends Expr {
    final Expr obj;
    final String name;

    GetAttr(Expr obj, String name) {
      this.obj = obj;
      this.name = name;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      return Py.getattr(obj.eval(in, s), name);
    }
  }

  static final class GetItem extends Expr {
    final Expr obj;
    final Expr key;

    GetItem(Expr obj, Expr key) {
      this.obj = obj;
      this.key = key;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      Object o = obj.eval(in, s);
      return Py.getitem(o, key.eval(in, s));
    }
  }

  static final class SliceExpr extends Expr {
    final Expr start;
    final Expr stop;
    final Expr step;

    SliceExpr(Expr start, Expr stop, Expr step) {
      this.start = start;
      this.stop = stop;
      this.step = step;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      return new Slice(start == null ? null : start.eval(in, s), stop == null ? null : stop.eval(in, s),
          step == null ? null : step.eval(in, s));
    }
  }

  /** Arguments of a call, filter or test: positional, keyword, {@code *args}, {@code **kwargs}. */
  static final class Args {
    static final Args NONE = new Args(List.of(), List.of(), List.of(), null, null);
    final List<Expr> positional;
    final List<String> keys;
    final List<Expr> keyValues;
    final Expr dynArgs;
    final Expr dynKwargs;

    Args(List<Expr> positional, List<String> keys, List<Expr> keyValues, Expr dynArgs, Expr dynKwargs) {
      this.positional = positional;
      this.keys = keys;
      this.keyValues = keyValues;
      this.dynArgs = dynArgs;
      this.dynKwargs = dynKwargs;
    }

    List<Object> positional(Interpreter in, Scope s) {
      List<Object> out = new ArrayList<>(positional.size());
      for (Expr e : positional) out.add(e.eval(in, s));
      if (dynArgs != null) {
        for (Object o : Py.iterate(dynArgs.eval(in, s))) out.add(o);
      }
      return out;
    }

    Map<String, Object> keywords(Interpreter in, Scope s) {
      if (keys.isEmpty() && dynKwargs == null) return null;
      Map<String, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) out.put(keys.get(i), keyValues.get(i).eval(in, s));
      if (dynKwargs != null) {
        Object m = dynKwargs.eval(in, s);
        if (!(m instanceof Map)) throw TemplateException.typeError("argument after ** must be a mapping");
        for (Map.Entry<?, ?> e : ((Map<?, ?>) m).entrySet()) out.put(Py.str(e.getKey()), e.getValue());
      }
      return out;
    }
  }

  static final class Call extends Expr {
    final Expr fn;
    final Args args;

    Call(Expr fn, Args args) {
      this.fn = fn;
      this.args = args;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      Object f = fn.eval(in, s);
      List<Object> pos = args.positional(in, s);
      Map<String, Object> kw = args.keywords(in, s);
      return call(in, f, pos, kw);
    }

    static Object call(Interpreter in, Object f, List<Object> pos, Map<String, Object> kw) {
      if (f instanceof PyCallable) return ((PyCallable) f).call(in, pos, kw);
      if (f instanceof Undefined) throw ((Undefined) f).error();
      throw TemplateException.typeError("'" + Py.typeName(f) + "' object is not callable");
    }
  }

  static final class Filter extends Expr {
    final Expr value; // null inside a filter block / set block: the captured body comes in instead
    final String name;
    final Filters.Fn fn; // null: unknown filter, an error when evaluated
    final Args args;

    Filter(Expr value, String name, Filters.Fn fn, Args args) {
      this.value = value;
      this.name = name;
      this.fn = fn;
      this.args = args;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      return apply(in, s, value.eval(in, s));
    }

    Object apply(Interpreter in, Scope s, Object v) {
      if (fn == null) throw new TemplateException("TemplateRuntimeError", "No filter named '" + name + "' found.");
      return in.built(v, fn.apply(in, v, args.positional(in, s), args.keywords(in, s)));
    }
  }

  static final class Test extends Expr {
    final Expr value;
    final String name;
    final Tests.Fn fn;
    final Args args;

    Test(Expr value, String name, Tests.Fn fn, Args args) {
      this.value = value;
      this.name = name;
      this.fn = fn;
      this.args = args;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      Object v = value.eval(in, s);
      if (fn == null) throw new TemplateException("TemplateRuntimeError", "No test named '" + name + "' found.");
      return fn.test(in, v, args.positional(in, s), args.keywords(in, s));
    }
  }

  static final class Not extends Expr {
    final Expr e;

    Not(Expr e) {
      this.e = e;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      return !Py.truthy(e.eval(in, s));
    }
  }

  static final class Unary extends Expr {
    final Expr e;
    final boolean negate;

    Unary(Expr e, boolean negate) {
      this.e = e;
      this.negate = negate;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      Object v = e.eval(in, s);
      return negate ? Py.neg(v) : Py.pos(v);
    }
  }

  static final class BinOp extends Expr {
    final String op;
    final Expr left;
    final Expr right;

    BinOp(String op, Expr left, Expr right) {
      this.op = op;
      this.left = left;
      this.right = right;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      Object a = left.eval(in, s);
      Object b = right.eval(in, s);
      switch (op) {
        case "+": return Py.add(in, a, b);
        case "-": return Py.sub(a, b);
        case "*": return Py.mul(in, a, b);
        case "/": return Py.div(a, b);
        case "//": return Py.floordiv(a, b);
        case "%": return Py.mod(in, a, b);
        case "**": return Py.pow(a, b);
        default: throw new IllegalStateException(op);
      }
    }
  }

  static final class Concat extends Expr {
    final List<Expr> parts;

    Concat(List<Expr> parts) {
      this.parts = parts;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      StringBuilder sb = new StringBuilder();
      for (Expr e : parts) {
        Py.appendStr(sb, e.eval(in, s));
        in.checkSize(sb.length());
      }
      in.account(sb.length());
      return sb.toString();
    }
  }

  static final class And extends Expr {
    final Expr left;
    final Expr right;

    And(Expr left, Expr right) {
      this.left = left;
      this.right = right;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      Object a = left.eval(in, s);
      return Py.truthy(a) ? right.eval(in, s) : a;
    }
  }

  static final class Or extends Expr {
    final Expr left;
    final Expr right;

    Or(Expr left, Expr right) {
      this.left = left;
      this.right = right;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      Object a = left.eval(in, s);
      return Py.truthy(a) ? a : right.eval(in, s);
    }
  }

  static final class Compare extends Expr {
    static final int EQ = 0;
    static final int NE = 1;
    static final int IN = 2;
    static final int NOT_IN = 3;
    static final int LT = 4;
    static final int LE = 5;
    static final int GT = 6;
    static final int GE = 7;
    private static final String[] NAMES = {"==", "!=", "in", "notin", "<", "<=", ">", ">="};

    final Expr first;
    final int[] ops;
    final Expr[] rest;

    Compare(Expr first, String[] ops, Expr[] rest) {
      this.first = first;
      this.ops = new int[ops.length];
      for (int i = 0; i < ops.length; i++) this.ops[i] = code(ops[i]);
      this.rest = rest;
    }

    private static int code(String op) {
      for (int i = 0; i < NAMES.length; i++) if (NAMES[i].equals(op)) return i;
      throw new IllegalArgumentException(op);
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      Object a = first.eval(in, s);
      for (int i = 0; i < ops.length; i++) {
        Object b = rest[i].eval(in, s);
        if (!compare(ops[i], a, b)) return false;
        a = b;
      }
      return true;
    }

    /** {@code a op b} for an operator written as in the source ({@code "<="}, {@code "notin"}). */
    static boolean compare(String op, Object a, Object b) {
      return compare(code(op), a, b);
    }

    static boolean compare(int op, Object a, Object b) {
      switch (op) {
        case EQ: return Py.eq(a, b);
        case NE: return !Py.eq(a, b);
        case IN: return Py.contains(b, a);
        case NOT_IN: return !Py.contains(b, a);
        default:
          if (isNaN(a) || isNaN(b)) {
            if (a instanceof Undefined || b instanceof Undefined) Py.compare(a, b, NAMES[op]);
            return false;
          }
          int c = Py.compare(a, b, NAMES[op]);
          switch (op) {
            case LT: return c < 0;
            case LE: return c <= 0;
            case GT: return c > 0;
            default: return c >= 0;
          }
      }
    }

    private static boolean isNaN(Object v) {
      return v instanceof Double && Double.isNaN((Double) v);
    }
  }

  static final class CondExpr extends Expr {
    final Expr test;
    final Expr then;
    final Expr otherwise; // null: undefined

    CondExpr(Expr test, Expr then, Expr otherwise) {
      this.test = test;
      this.then = then;
      this.otherwise = otherwise;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      if (Py.truthy(test.eval(in, s))) return then.eval(in, s);
      if (otherwise == null) {
        return Undefined.hint("the inline if-expression on line evaluated to false and no else section was defined.");
      }
      return otherwise.eval(in, s);
    }
  }

  static final class ListLit extends Expr {
    final List<Expr> items;
    final boolean tuple;

    ListLit(List<Expr> items, boolean tuple) {
      this.items = items;
      this.tuple = tuple;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      List<Object> out = new ArrayList<>(items.size());
      for (Expr e : items) out.add(e.eval(in, s));
      return tuple ? PyTuple.copyOf(out) : out;
    }
  }

  static final class DictLit extends Expr {
    final List<Expr> keys;
    final List<Expr> values;

    DictLit(List<Expr> keys, List<Expr> values) {
      this.keys = keys;
      this.values = values;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        Object k = keys.get(i).eval(in, s);
        if (k instanceof List && !(k instanceof PyTuple) || k instanceof Map) {
          throw TemplateException.typeError("unhashable type: '" + Py.typeName(k) + "'");
        }
        out.put(k, values.get(i).eval(in, s));
      }
      return out;
    }
  }
}
