package io.sftprep.core.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@code macro} (or a {@code call} block's body): parameters, defaults, body and the scope it closes over. */
final class Macro implements PyCallable {
  final String name;
  private final String[] params;
  private final Expr[] defaults; // aligned to the last params
  private final List<Stmt> body;
  private final Scope closure;
  private final boolean catchVarargs;
  private final boolean catchKwargs;
  private final boolean callerParam;

  Macro(String name, String[] params, Expr[] defaults, List<Stmt> body, Scope closure, boolean catchVarargs,
      boolean catchKwargs, boolean callerParam) {
    this.name = name;
    this.params = params;
    this.defaults = defaults;
    this.body = body;
    this.closure = closure;
    this.catchVarargs = catchVarargs;
    this.catchKwargs = catchKwargs;
    this.callerParam = callerParam;
  }

  @Override
  public Object call(Interpreter in, List<Object> args, Map<String, Object> kwargs) {
    return invoke(in, args, kwargs, null);
  }

  Object invoke(Interpreter in, List<Object> args, Map<String, Object> kwargs, Macro caller) {
    in.enter();
    try {
      Scope s = new Scope(closure);
      Map<String, Object> kw = kwargs == null ? new LinkedHashMap<>() : new LinkedHashMap<>(kwargs);
      int firstDefault = params.length - defaults.length;
      for (int i = 0; i < params.length; i++) {
        String p = params[i];
        Object v;
        if (i < args.size()) {
          if (kw.containsKey(p)) {
            throw TemplateException.typeError("macro '" + name + "' got multiple values for argument '" + p + "'");
          }
          v = args.get(i);
        } else if (kw.containsKey(p)) {
          v = kw.remove(p);
        } else if (i >= firstDefault) {
          v = defaults[i - firstDefault].eval(in, s);
        } else {
          v = Undefined.hint("parameter '" + p + "' was not provided");
        }
        s.set(p, v);
      }
      if (caller != null) {
        s.set("caller", caller);
      } else if (kw.containsKey("caller") && callerParam) {
        s.set("caller", kw.remove("caller"));
      }
      if (args.size() > params.length) {
        if (!catchVarargs) {
          throw TemplateException.typeError("macro '" + name + "' takes not more than " + params.length
              + " argument(s)");
        }
        s.set("varargs", PyTuple.copyOf(args.subList(params.length, args.size())));
      } else if (catchVarargs) {
        s.set("varargs", PyTuple.EMPTY);
      }
      if (!kw.isEmpty() && !catchKwargs) {
        throw TemplateException.typeError("macro '" + name + "' takes no keyword argument '"
            + kw.keySet().iterator().next() + "'");
      }
      if (catchKwargs) s.set("kwargs", new LinkedHashMap<Object, Object>(kw));
      StringBuilder out = new StringBuilder();
      Stmt.execAll(body, in, s, out);
      in.account(out.length());
      return out.toString();
    } finally {
      in.leave();
    }
  }

  static List<Object> noArgs() {
    return new ArrayList<>(0);
  }
}
