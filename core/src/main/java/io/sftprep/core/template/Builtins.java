package io.sftprep.core.template;

import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The globals of a chat template: jinja2's ({@code range}, {@code dict}, {@code namespace}, {@code cycler},
 * {@code joiner}, {@code lipsum}, {@code self}) and transformers' ({@code raise_exception}, {@code strftime_now}),
 * each typed and printed as in Python. {@code lipsum} exists but refuses to run: its text is random.
 */
final class Builtins {
  private Builtins() {}

  static Map<String, Object> globals(Supplier<LocalDateTime> clock) {
    Map<String, Object> g = new HashMap<>();
    g.put("range", PyFunction.function("safe_range", (in, args, kw) -> {
      if (args.isEmpty() || args.size() > 3) {
        throw TemplateException.typeError("range expected at most 3 arguments, got " + args.size());
      }
      long start = 0;
      long stop;
      long step = 1;
      if (args.size() == 1) {
        stop = Py.index(args.get(0));
      } else {
        start = Py.index(args.get(0));
        stop = Py.index(args.get(1));
        if (args.size() == 3) step = Py.index(args.get(2));
      }
      return new PyRange(start, stop, step);
    }));
    g.put("dict", PyFunction.type("dict", (in, args, kw) -> {
      Map<Object, Object> m = new LinkedHashMap<>();
      if (!args.isEmpty()) {
        Object src = args.get(0);
        if (src instanceof Map) {
          m.putAll((Map<?, ?>) src);
        } else {
          for (Object pair : Py.iterate(src)) {
            List<Object> kv = Py.toList(pair);
            if (kv.size() != 2) {
              throw new TemplateException("ValueError", "dictionary update sequence element has length "
                  + kv.size() + "; 2 is required");
            }
            m.put(kv.get(0), kv.get(1));
          }
        }
      }
      if (kw != null) m.putAll(kw);
      return m;
    }).with("fromkeys", PyFunction.builtinMethod("fromkeys", "type", (in, args, kw) -> {
      if (args.isEmpty() || args.size() > 2) {
        throw TemplateException.typeError("fromkeys expected at least 1 argument, got " + args.size());
      }
      Map<Object, Object> m = new LinkedHashMap<>();
      for (Object k : Py.iterate(args.get(0))) {
        Py.hashKey(k); // TypeError for a list or dict, as Python's
        m.put(k, args.size() > 1 ? args.get(1) : null);
      }
      return m;
    })));
    g.put("namespace", PyFunction.type("jinja2.utils.Namespace", (in, args, kw) -> {
      Namespace ns = new Namespace();
      for (Object a : args) {
        if (a instanceof Map) {
          for (Map.Entry<?, ?> e : ((Map<?, ?>) a).entrySet()) ns.attrs.put(Py.str(e.getKey()), e.getValue());
        } else {
          for (Object pair : Py.iterate(a)) {
            List<Object> kv = Py.toList(pair);
            ns.attrs.put(Py.str(kv.get(0)), kv.get(1));
          }
        }
      }
      if (kw != null) ns.attrs.putAll(kw);
      return ns;
    }));
    g.put("cycler", PyFunction.type("jinja2.utils.Cycler", (in, args, kw) -> {
      if (args.isEmpty()) throw new TemplateException("RuntimeError", "at least one item has to be provided");
      return new Cycler(PyTuple.copyOf(args));
    }));
    g.put("joiner", PyFunction.type("jinja2.utils.Joiner",
        (in, args, kw) -> new Joiner(args.isEmpty() ? (kw != null && kw.containsKey("sep") ? kw.get("sep") : ", ")
            : args.get(0))));
    g.put("lipsum", PyFunction.function("generate_lorem_ipsum", (in, args, kw) -> {
      throw new TemplateException("TemplateRuntimeError", "lipsum() is not supported: its text is random, and a "
          + "rendered training set must be reproducible");
    }));
    g.put("raise_exception", PyFunction.function("_cached_compile_jinja_template.<locals>.raise_exception",
        (in, args, kw) -> {
          Object msg = args.isEmpty() ? (kw == null ? null : kw.get("message")) : args.get(0);
          throw new TemplateException("TemplateError", Py.str(msg));
        }));
    g.put("strftime_now", PyFunction.function("_cached_compile_jinja_template.<locals>.strftime_now",
        (in, args, kw) -> {
          if (args.isEmpty()) {
            throw TemplateException.typeError("strftime_now() missing 1 required positional argument");
          }
          return strftime(clock.get(), Py.str(args.get(0)));
        }));
    g.put("self", TemplateReference.INSTANCE);
    return g;
  }

  /** jinja2's {@code cycler(...)}: {@code next()}, {@code reset()}, {@code current}, {@code items}, {@code pos}. */
  static final class Cycler implements HasAttributes {
    private final PyTuple items;
    private int pos;

    Cycler(PyTuple items) {
      this.items = items;
    }

    @Override
    public Object attribute(String name) {
      switch (name) {
        case "items": return items;
        case "pos": return (long) pos;
        case "current": return items.get(pos);
        case "next":
          return PyFunction.method("Cycler", "next", this, (in, args, kw) -> {
            Object v = items.get(pos);
            pos = (pos + 1) % items.size();
            return v;
          });
        case "reset":
          return PyFunction.method("Cycler", "reset", this, (in, args, kw) -> {
            pos = 0;
            return null;
          });
        default: return Undefined.attribute(this, name);
      }
    }

    @Override
    public String toString() {
      return "<jinja2.utils.Cycler object>";
    }
  }

  /** jinja2's {@code joiner(sep)}: empty on the first call, {@code sep} after. */
  static final class Joiner implements PyCallable, HasAttributes {
    private final Object sep;
    private boolean used;

    Joiner(Object sep) {
      this.sep = sep;
    }

    @Override
    public Object call(Interpreter in, List<Object> args, Map<String, Object> kwargs) {
      if (used) return sep;
      used = true;
      return "";
    }

    @Override
    public Object attribute(String name) {
      if (name.equals("sep")) return sep;
      if (name.equals("used")) return used;
      return Undefined.attribute(this, name);
    }

    @Override
    public String toString() {
      return "<jinja2.utils.Joiner object>";
    }
  }

  /** {@code self}: the template's blocks by name; chat templates have none. */
  static final class TemplateReference implements HasAttributes {
    static final TemplateReference INSTANCE = new TemplateReference();

    @Override
    public Object attribute(String name) {
      return Undefined.attribute(this, name);
    }

    @Override
    public String toString() {
      return "<TemplateReference None>";
    }
  }

  /** Python's {@code datetime.strftime} for the directives chat templates use (C locale). */
  static String strftime(LocalDateTime t, String fmt) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fmt.length(); i++) {
      char c = fmt.charAt(i);
      if (c != '%' || i + 1 >= fmt.length()) {
        sb.append(c);
        continue;
      }
      char d = fmt.charAt(++i);
      switch (d) {
        case 'Y': sb.append(t.getYear()); break;
        case 'y': sb.append(String.format("%02d", t.getYear() % 100)); break;
        case 'm': sb.append(String.format("%02d", t.getMonthValue())); break;
        case 'd': sb.append(String.format("%02d", t.getDayOfMonth())); break;
        case 'e': sb.append(String.format("%2d", t.getDayOfMonth())); break;
        case 'H': sb.append(String.format("%02d", t.getHour())); break;
        case 'I': sb.append(String.format("%02d", (t.getHour() + 11) % 12 + 1)); break;
        case 'M': sb.append(String.format("%02d", t.getMinute())); break;
        case 'S': sb.append(String.format("%02d", t.getSecond())); break;
        case 'f': sb.append(String.format("%06d", t.getNano() / 1000)); break;
        case 'p': sb.append(t.getHour() < 12 ? "AM" : "PM"); break;
        case 'j': sb.append(String.format("%03d", t.getDayOfYear())); break;
        case 'B': sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH)); break;
        case 'b':
        case 'h': sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)); break;
        case 'A': sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH)); break;
        case 'a': sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)); break;
        case 'w': sb.append(t.getDayOfWeek().getValue() % 7); break;
        case 'u': sb.append(t.getDayOfWeek().getValue()); break;
        case 'F': sb.append(strftime(t, "%Y-%m-%d")); break;
        case 'T': sb.append(strftime(t, "%H:%M:%S")); break;
        case 'D': sb.append(strftime(t, "%m/%d/%y")); break;
        case 'R': sb.append(strftime(t, "%H:%M")); break;
        case 'c': sb.append(strftime(t, "%a %b %e %H:%M:%S %Y")); break;
        case 'x': sb.append(strftime(t, "%m/%d/%y")); break;
        case 'X': sb.append(strftime(t, "%H:%M:%S")); break;
        case 'n': sb.append('\n'); break;
        case 't': sb.append('\t'); break;
        case '%': sb.append('%'); break;
        case 'z':
        case 'Z': break;
        default: sb.append('%').append(d);
      }
    }
    return sb.toString();
  }
}
