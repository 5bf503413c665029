package io.sftprep.core.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Statement nodes. {@link #exec} writes to {@code out} and returns {@link #NORMAL}, or {@link #BREAK} /
 * {@link #CONTINUE} travelling up to the enclosing loop.
 */
abstract class Stmt {
  static final int NORMAL = 0;
  static final int BREAK = 1;
  static final int CONTINUE = 2;

  abstract int exec(Interpreter in, Scope s, StringBuilder out);

  static int execAll(List<Stmt> body, Interpreter in, Scope s, StringBuilder out) {
    for (int i = 0, n = body.size(); i < n; i++) {
      int r = body.get(i).exec(in, s, out);
      if (r != NORMAL) return r;
    }
    return NORMAL;
  }

  static void checkOutput(Interpreter in, StringBuilder out) {
    in.checkSize(out.length());
  }

  static final class Text extends Stmt {
    final String text;

    Text(String text) {
      this.text = text;
    }

    @Override
    int exec(Interpreter in, Scope s, StringBuilder out) {
      out.append(text);
      checkOutput(in, out);
      return NORMAL;
    }
  }

  static final class Print extends Stmt {
    final Expr expr;

    Print(Expr expr) {
      this.expr = expr;
    }

    @Override
    int exec(Interpreter in, Scope s, StringBuilder out) {
      Py.appendStr(out, expr.eval(in, s));
      checkOutput(in, out);
      return NORMAL;
    }
  }

  static final class If extends Stmt {
    final Expr[] tests;
    final List<List<Stmt>> bodies;
    final List<Stmt> otherwise;

    If(Expr[] tests, List<List<Stmt>> bodies, List<Stmt> otherwise) {
      this.tests = tests;
      this.bodies = bodies;
      this.otherwise = otherwise;
    }

    @Override
    int exec(Interpreter in, Scope s, StringBuilder out) {
      for (int i = 0; i < tests.length; i++) {
        if (Py.truthy(tests[i].eval(in, s))) return execAll(bodies.get(i), in, s, out);
      }
      return execAll(otherwise, in, s, out);
    }
  }

  /** An assignment target: a name, a namespace attribute ({@code ns.x}) or a tuple of targets. */
  static final class Target {
    final String name; // plain name or namespace variable
    final String attr; // non-null for ns.attr
    final List<Target> items; // non-null for a tuple

    Target(String name, String attr, List<Target> items) {
      this.name = name == null ? null : name.intern();
      this.attr = attr;
      this.items = items;
    }

    void assign(Interpreter in, Scope s, Object value) {
      if (items != null) {
        List<Object> vals = Py.toList(value);
        if (vals.size() < items.size()) {
          throw new TemplateException("ValueError", "not enough values to unpack (expected " + items.size()
              + ", got " + vals.size() + ")");
        }
        if (vals.size() > items.size()) {
          throw new TemplateException("ValueError", "too many values to unpack (expected " + items.size() + ")");
        }
        for (int i = 0; i < items.size(); i++) items.get(i).assign(in, s, vals.get(i));
      } else if (attr != null) {
        Object ns = in.resolve(s, name);
        if (!(ns instanceof Namespace)) {
          throw new TemplateException("TemplateRuntimeError", "cannot assign attribute on non-namespace object");
        }
        ((Namespace) ns).attrs.put(attr, value);
      } else {
        s.set(name, value);
      }
    }
  }

  static final class Set extends Stmt {
    final Target target;
    final Expr value;

    Set(Target target, Expr value) {
      this.target = target;
      this.value = value;
    }

    @Override
    int exec(Interpreter in, Scope s, StringBuilder out) {
      target.assign(in, s, value.eval(in, s));
      return NORMAL;
    }
  }

  static final class SetBlock extends Stmt {
    final Target target;
    final List<Expr.Filter> filters;
    final List<Stmt> body;

    SetBlock(Target target, List<Expr.Filter> filters, List<Stmt> body) {
      this.target = target;
      this.filters = filters;
      this.body = body;
    }

    @Override
    int exec(Interpreter in, Scope s, StringBuilder out) {
      StringBuilder buf = new StringBuilder();
      execAll(body, in, new Scope(s), buf);
      in.account(buf.length());
      Object v = buf.toString();
      for (Expr.Filter f : filters) v = f.apply(in, s, v);
      target.assign(in, s, v);
      return NORMAL;
    }
  }

  static final class FilterBlock extends Stmt {
    final List<Expr.Filter> filters;
    final List<Stmt> body;

    FilterBlock(List<Expr.Filter> filters, List<Stmt> body) {
      this.filters = filters;
      this.body = body;
    }

    @Override
    int exec(Interpreter in, Scope s, StringBuilder out) {
      StringBuilder buf = new StringBuilder();
      execAll(body, in, new Scope(s), buf);
      in.account(buf.length());
      Object v = buf.toString();
      for (Expr.Filter f : filters) v = f.apply(in, s, v);
      Py.appendStr(out, v);
      checkOutput(in, out);
      return NORMAL;
    }
  }

  static final class For extends Stmt {
    final Target target;
    final Expr iter;
    final Expr filter;
    final List<Stmt> body;
    final List<Stmt> otherwise;
    final boolean recursive;

    For(Target target, Expr iter, Expr filter, List<Stmt> body, List<Stmt> otherwise, boolean recursive) {
      this.target = target;
      this.iter = iter;
      this.filter = filter;
      this.body = body;
      this.otherwise = otherwise;
      this.recursive = recursive;
    }

    @Override
    int exec(Interpreter in, Scope s, StringBuilder out) {
      loop(in, s, out, iter.eval(in, s), 0);
      return NORMAL;
    }

    void loop(Interpreter in, Scope s, StringBuilder out, Object iterable, int depth0) {
      if (depth0 > 0) in.enter();
      try {
        List<Object> items;
        Iterable<?> it = Py.iterate(iterable);
        if (filter != null) {
          items = new ArrayList<>();
          for (Object o : it) {
            Scope fs = new Scope(s);
            target.assign(in, fs, o);
            if (Py.truthy(filter.eval(in, fs))) items.add(o);
          }
        } else if (it instanceof List) {
          @SuppressWarnings("unchecked")
          List<Object> l = (List<Object>) it;
          items = l;
        } else {
          items = new ArrayList<>();
          for (Object o : it) items.add(o);
        }
        if (items.isEmpty()) {
          execAll(otherwise, in, s, out);
          return;
        }
        LoopContext loop = new LoopContext(items, recursive ? this : null, s, depth0);
        for (int i = 0, n = items.size(); i < n; i++) {
          in.step();
          loop.index0 = i;
          Scope is = new Scope(s);
          target.assign(in, is, items.get(i));
          is.set("loop", loop);
          if (execAll(body, in, is, out) == BREAK) break;
        }
      } finally {
        if (depth0 > 0) in.leave();
      }
    }
  }

  static final class LoopControl extends Stmt {
    final int code;

    LoopControl(int code) {
      this.code = code;
    }

    @Override
    int exec(Interpreter in, Scope s, StringBuilder out) {
      return code;
    }
  }

  static final class MacroDef extends Stmt {
    final String name;
    final String[] params;
    final Expr[] defaults;
    final List<Stmt> body;
    final boolean varargs;
    final boolean kwargs;
    final boolean caller;

    MacroDef(String name, String[] params, Expr[] defaults, List<Stmt> body, boolean varargs, boolean kwargs,
        boolean caller) {
      this.name = name.intern();
      this.params = params;
      this.defaults = defaults;
      this.body = body;
      this.varargs = varargs;
      this.kwargs = kwargs;
      this.caller = caller;
    }

    Macro bind(Scope s) {
      return new Macro(name, params, defaults, body, s, varargs, kwargs, caller);
    }

    @Override
    int exec(Interpreter in, Scope s, StringBuilder out) {
      s.set(name, bind(s));
      return NORMAL;
    }
  }

  static final class CallBlock extends Stmt {
    final Expr.Call call;
    final MacroDef callerDef;

    CallBlock(Expr.Call call, MacroDef callerDef) {
      this.call = call;
      this.callerDef = callerDef;
    }

    @Override
    int exec(Interpreter in, Scope s, StringBuilder out) {
      Object f = call.fn.eval(in, s);
      Macro caller = callerDef.bind(s);
      Object result;
      if (f instanceof Macro) {
        result = ((Macro) f).invoke(in, call.args.positional(in, s), call.args.keywords(in, s), caller);
      } else {
        java.util.Map<String, Object> kw = call.args.keywords(in, s);
        if (kw == null) kw = new java.util.LinkedHashMap<>();
        kw.put("caller", caller);
        result = Expr.Call.call(in, f, call.args.positional(in, s), kw);
      }
      Py.appendStr(out, result);
      checkOutput(in, out);
      return NORMAL;
    }
  }

  static final class With extends Stmt {
    final List<Target> targets;
    final List<Expr> values;
    final List<Stmt> body;

    With(List<Target> targets, List<Expr> values, List<Stmt> body) {
      this.targets = targets;
      this.values = values;
      this.body = body;
    }

    @Override
    int exec(Interpreter in, Scope s, StringBuilder out) {
      Scope w = new Scope(s);
      for (int i = 0; i < targets.size(); i++) targets.get(i).assign(in, w, values.get(i).eval(in, s));
      return execAll(body, in, w, out);
    }
  }

  /**
   * transformers' {@code {% generation %}} block: renders its body and, as transformers does, records the span
   * from the length of the top-level output so far to that plus the length of what the body rendered.
   */
  static final class Generation extends Stmt {
    final List<Stmt> body;

    Generation(List<Stmt> body) {
      this.body = body;
    }

    @Override
    int exec(Interpreter in, Scope s, StringBuilder out) {
      StringBuilder buf = new StringBuilder();
      in.enter();
      try {
        execAll(body, in, new Scope(s), buf);
      } finally {
        in.leave();
      }
      int start = in.root.length();
      in.generationSpans.add(new int[] {start, start + buf.length()});
      out.append(buf);
      checkOutput(in, out);
      return NORMAL;
    }
  }
}
