package io.sftprep.core.template;

import java.util.List;
import java.util.Map;

/** The {@code loop} variable of a for loop: index, first/last, neighbours, {@code cycle}, recursive calls. */
final class LoopContext implements PyCallable, HasAttributes {
  private final List<Object> items;
  private final Stmt.For owner; // null unless the loop is recursive
  private final Scope scope;
  private final int depth0;
  int index0;
  private Object lastChanged = Scope.NOT_FOUND;

  LoopContext(List<Object> items, Stmt.For owner, Scope scope, int depth0) {
    this.items = items;
    this.owner = owner;
    this.scope = scope;
    this.depth0 = depth0;
  }

  int index0() {
    return index0;
  }

  int length() {
    return items.size();
  }

  @Override
  public Object attribute(String name) {
    int n = items.size();
    switch (name) {
      case "index": return (long) index0 + 1;
      case "index0": return (long) index0;
      case "revindex": return (long) (n - index0);
      case "revindex0": return (long) (n - index0 - 1);
      case "first": return index0 == 0;
      case "last": return index0 == n - 1;
      case "length": return (long) n;
      case "depth": return (long) depth0 + 1;
      case "depth0": return (long) depth0;
      case "previtem":
        return index0 > 0 ? items.get(index0 - 1) : Undefined.hint("there is no previous item");
      case "nextitem":
        return index0 + 1 < n ? items.get(index0 + 1) : Undefined.hint("there is no next item");
      case "cycle":
        return PyFunction.method("LoopContext", "cycle", this, (in, args, kwargs) -> {
          if (args.isEmpty()) throw TemplateException.typeError("no items for cycling given");
          return args.get(index0 % args.size());
        });
      case "changed":
        return PyFunction.method("LoopContext", "changed", this, (in, args, kwargs) -> {
          Object v = PyTuple.copyOf(args);
          if (lastChanged == Scope.NOT_FOUND || !Py.eq(lastChanged, v)) {
            lastChanged = v;
            return true;
          }
          return false;
        });
      default:
        return Undefined.attribute(this, name);
    }
  }

  @Override
  public Object call(Interpreter in, List<Object> args, Map<String, Object> kwargs) {
    if (owner == null) {
      throw TemplateException.typeError("The loop must have the 'recursive' marker to be called recursively.");
    }
    if (args.size() != 1) throw TemplateException.typeError("loop() takes exactly one argument");
    StringBuilder sb = new StringBuilder();
    owner.loop(in, scope, sb, args.get(0), depth0 + 1);
    return sb.toString();
  }
}
