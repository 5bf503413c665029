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
 * The global functions a chat template can call: jinja2's ({@code range}, {@code dict}, {@code namespace},
 * {@code cycler}, {@code joiner}) and transformers' ({@code raise_exception}, {@code strftime_now}).
 */
final class Builtins {
  private Builtins() {}

  static Map<String, Object> globals(Supplier<LocalDateTime> clock) {
    Map<String, Object> g = new HashMap<>();
    g.put("range", (PyCallable) (in, args, kw) -> {
      if (args.isEmpty() || args.size() > 3) {
        throw TemplateException.typeError("range expected at most 3 arguments, got " + args.size());
      }
      long start = 0;
      long stop;
      long step = 1;
      if (args.size() == 1) {
        stop = Py.toLong(args.get(0));
      } else {
        start = Py.toLong(args.get(0));
        stop = Py.toLong(args.get(1));
        if (args.size() == 3) step = Py.toLong(args.get(2));
      }
      return new PyRange(start, stop, step);
    });
    g.put("dict", (PyCallable) (in, args, kw) -> {
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
    });
    g.put("namespace", (PyCallable) (in, args, kw) -> {
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
    });
    g.put("raise_exception", (PyCallable) (in, args, kw) -> {
      Object msg = args.isEmpty() ? (kw == null ? null : kw.get("message")) : args.get(0);
      throw new TemplateException("TemplateError", Py.str(msg));
    });
    g.put("strftime_now", (PyCallable) (in, args, kw) -> {
      if (args.isEmpty()) throw TemplateException.typeError("strftime_now() missing 1 required positional argument");
      return strftime(clock.get(), Py.str(args.get(0)));
    });
    g.put("cycler", (PyCallable) (in, args, kw) -> {
      Map<String, Object> c = new LinkedHashMap<>();
      int[] pos = {0};
      c.put("next", (PyCallable) (i2, a2, k2) -> {
        Object v = args.get(pos[0] % args.size());
        pos[0]++;
        return v;
      });
      c.put("reset", (PyCallable) (i2, a2, k2) -> {
        pos[0] = 0;
        return null;
      });
      return c;
    });
    g.put("joiner", (PyCallable) (in, args, kw) -> {
      String sep = args.isEmpty() ? ", " : Py.str(args.get(0));
      boolean[] used = {false};
      return (PyCallable) (i2, a2, k2) -> {
        if (!used[0]) {
          used[0] = true;
          return "";
        }
        return sep;
      };
    });
    return g;
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
