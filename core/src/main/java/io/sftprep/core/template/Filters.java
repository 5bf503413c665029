package io.sftprep.core.template;

import io.sftprep.core.json.JsonWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** jinja2's builtin filters (and transformers' {@code tojson}), with jinja2's argument names and defaults. */
final class Filters {
  private Filters() {}

  @FunctionalInterface
  interface Fn {
    Object apply(Interpreter in, Object value, List<Object> args, Map<String, Object> kwargs);
  }

  private static final Map<String, Fn> ALL = new HashMap<>();
  private static final Pattern WORD_BEGINNING = Pattern.compile("[-\\s({\\[<]+", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern WORD = Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS);


  static Fn get(String name) {
    return ALL.get(name);
  }

  private static PyMethods.Args a(String name, List<Object> args, Map<String, Object> kwargs) {
    return new PyMethods.Args(name, args, kwargs);
  }

  private static String softStr(Object v) {
    return Py.str(v);
  }

  private static Object sameKind(Object original, String result) {
    return original instanceof Markup ? new Markup(result) : result;
  }

  static {
    ALL.put("abs", (in, v, args, kw) -> {
      if (v instanceof Double) return Math.abs((Double) v);
      if (v instanceof BigInteger) return ((BigInteger) v).abs();
      if (Py.isNumber(v)) {
        long x = Py.toLong(v);
        return x == Long.MIN_VALUE ? BigInteger.valueOf(x).negate() : Math.abs(x);
      }
      if (v instanceof Undefined) throw ((Undefined) v).error();
      throw TemplateException.typeError("bad operand type for abs(): '" + Py.typeName(v) + "'");
    });
    ALL.put("attr", (in, v, args, kw) -> Py.attributeOnly(v, softStr(a("attr", args, kw).required(0, "name"))));
    ALL.put("capitalize", (in, v, args, kw) -> sameKind(v, PyStrings.capitalize(softStr(v))));
    ALL.put("center", (in, v, args, kw) ->
        PyStrings.pad(in, softStr(v), Py.toLong(a("center", args, kw).opt(0, "width", 80L)), " ", '^'));
    Fn dflt = (in, v, args, kw) -> {
      PyMethods.Args p = a("default", args, kw);
      Object d = p.opt(0, "default_value", "");
      boolean bool = Py.truthy(p.opt(1, "boolean", false));
      if (v instanceof Undefined || (bool && !Py.truthy(v))) return d;
      return v;
    };
    ALL.put("default", dflt);
    ALL.put("d", dflt);
    ALL.put("dictsort", (in, v, args, kw) -> {
      PyMethods.Args p = a("dictsort", args, kw);
      boolean caseSensitive = Py.truthy(p.opt(0, "case_sensitive", false));
      String by = softStr(p.opt(1, "by", "key"));
      boolean reverse = Py.truthy(p.opt(2, "reverse", false));
      int pos;
      if (by.equals("key")) pos = 0;
      else if (by.equals("value")) pos = 1;
      else throw new TemplateException("FilterArgumentError", "You can only sort by either \"key\" or \"value\"");
      if (!(v instanceof Map)) {
        if (v instanceof Undefined) throw ((Undefined) v).error();
        throw new TemplateException("AttributeError", "'" + Py.typeName(v) + "' object has no attribute 'items'");
      }
      List<Object> items = new ArrayList<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) items.add(PyTuple.of(e.getKey(), e.getValue()));
      sortBy(items, o -> sortKey(((PyTuple) o).get(pos), caseSensitive), reverse);
      return items;
    });
    Fn escape = (in, v, args, kw) -> v instanceof Markup ? v : new Markup(Markup.escape(softStr(v)));
    ALL.put("escape", escape);
    ALL.put("e", escape);
    ALL.put("forceescape", (in, v, args, kw) -> new Markup(Markup.escape(softStr(v))));
    ALL.put("first", (in, v, args, kw) -> {
      if (v instanceof Undefined) throw ((Undefined) v).error();
      for (Object o : Py.iterate(v)) return o;
      return Undefined.hint("No first item, sequence was empty.");
    });
    ALL.put("last", (in, v, args, kw) -> {
      if (v instanceof Undefined) throw ((Undefined) v).error();
      List<Object> l = v instanceof List ? null : Py.toList(v);
      List<?> seq = l != null ? l : (List<?>) v;
      if (seq.isEmpty()) return Undefined.hint("No last item, sequence was empty.");
      return seq.get(seq.size() - 1);
    });
    ALL.put("float", (in, v, args, kw) -> {
      Object d = a("float", args, kw).opt(0, "default", 0.0);
      return toFloat(v, d);
    });
    ALL.put("format", (in, v, args, kw) -> {
      if (kw != null && !kw.isEmpty() && !args.isEmpty()) {
        throw new TemplateException("FilterArgumentError", "can't handle positional and keyword arguments at the "
            + "same time");
      }
      Object fargs = (kw != null && !kw.isEmpty()) ? new java.util.LinkedHashMap<Object, Object>(kw)
          : PyTuple.copyOf(args);
      return PyFormat.percent(in, softStr(v), fargs);
    });
    ALL.put("indent", (in, v, args, kw) -> {
      PyMethods.Args p = a("indent", args, kw);
      Object w = p.opt(0, "width", 4L);
      boolean first = Py.truthy(p.opt(1, "first", false));
      boolean blank = Py.truthy(p.opt(2, "blank", false));
      return indent(in, softStr(v), w, first, blank);
    });
    ALL.put("int", (in, v, args, kw) -> {
      PyMethods.Args p = a("int", args, kw);
      return toInt(v, p.opt(0, "default", 0L), (int) Py.toLong(p.opt(1, "base", 10L)));
    });
    ALL.put("items", (in, v, args, kw) -> {
      if (v instanceof Undefined) return new ArrayList<>();
      if (!(v instanceof Map)) throw TemplateException.typeError("Can only get item pairs from a mapping.");
      List<Object> out = new ArrayList<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) out.add(PyTuple.of(e.getKey(), e.getValue()));
      return out;
    });
    ALL.put("join", (in, v, args, kw) -> {
      PyMethods.Args p = a("join", args, kw);
      String sep = softStr(p.opt(0, "d", ""));
      Object attr = p.opt(1, "attribute", null);
      StringBuilder sb = new StringBuilder();
      boolean firstItem = true;
      for (Object o : Py.iterate(v)) {
        if (!firstItem) sb.append(sep);
        Py.appendStr(sb, attr != null ? attribute(o, attr) : o);
        in.checkSize(sb.length());
        firstItem = false;
      }
      return sb.toString();
    });
    Fn length = (in, v, args, kw) -> (long) Py.length(v);
    ALL.put("length", length);
    ALL.put("count", length);
    ALL.put("list", (in, v, args, kw) -> Py.toList(v));
    ALL.put("lower", (in, v, args, kw) -> sameKind(v, PyStrings.lower(softStr(v))));
    ALL.put("upper", (in, v, args, kw) -> sameKind(v, PyStrings.upper(softStr(v))));
    ALL.put("map", (in, v, args, kw) -> {
      List<Object> out = new ArrayList<>();
      if (kw != null && kw.containsKey("attribute")) {
        Object attr = kw.get("attribute");
        boolean hasDefault = kw.containsKey("default");
        Object d = kw.get("default");
        for (Object o : Py.iterate(v)) {
          Object x = attribute(o, attr);
          out.add(hasDefault && x instanceof Undefined ? d : x);
        }
        return out;
      }
      if (args.isEmpty()) throw new TemplateException("FilterArgumentError", "map requires a filter argument");
      String name = softStr(args.get(0));
      Fn f = get(name);
      if (f == null) throw new TemplateException("TemplateRuntimeError", "No filter named '" + name + "'.");
      List<Object> rest = args.subList(1, args.size());
      for (Object o : Py.iterate(v)) out.add(f.apply(in, o, rest, kw));
      return out;
    });
    ALL.put("max", (in, v, args, kw) -> minMax(v, args, kw, true));
    ALL.put("min", (in, v, args, kw) -> minMax(v, args, kw, false));
    ALL.put("pprint", (in, v, args, kw) -> Py.repr(v));
    ALL.put("reject", (in, v, args, kw) -> select(in, v, args, kw, false, false));
    ALL.put("rejectattr", (in, v, args, kw) -> select(in, v, args, kw, false, true));
    ALL.put("select", (in, v, args, kw) -> select(in, v, args, kw, true, false));
    ALL.put("selectattr", (in, v, args, kw) -> select(in, v, args, kw, true, true));
    ALL.put("replace", (in, v, args, kw) -> {
      PyMethods.Args p = a("replace", args, kw);
      Object count = p.opt(2, "count", null);
      String s = softStr(v);
      return sameKind(v, PyStrings.replace(in, s, softStr(p.required(0, "old")), softStr(p.required(1, "new")),
          count == null ? -1 : Py.toLong(count)));
    });
    ALL.put("reverse", (in, v, args, kw) -> {
      if (v instanceof CharSequence) return new Slice(null, null, -1L).apply(v);
      List<Object> l = Py.toList(v);
      java.util.Collections.reverse(l);
      return l;
    });
    ALL.put("round", (in, v, args, kw) -> {
      PyMethods.Args p = a("round", args, kw);
      long precision = Py.toLong(p.opt(0, "precision", 0L));
      String method = softStr(p.opt(1, "method", "common"));
      if (!method.equals("common") && !method.equals("ceil") && !method.equals("floor")) {
        throw new TemplateException("FilterArgumentError", "method must be common, ceil or floor");
      }
      if (method.equals("common")) return roundCommon(v, precision);
      // jinja2: math.ceil/floor(value * 10**precision) / 10**precision, in floats
      if (precision > 308) throw new TemplateException("OverflowError", "int too large to convert to float");
      double scale = precision < -400 ? 0.0 : Double.parseDouble("1e" + precision);
      double x = Py.toDouble(v) * scale;
      if (Double.isNaN(x)) throw new TemplateException("ValueError", "cannot convert float NaN to integer");
      if (Double.isInfinite(x)) {
        throw new TemplateException("OverflowError", "cannot convert float infinity to integer");
      }
      if (scale == 0.0) throw new TemplateException("ZeroDivisionError", "float division by zero");
      return (method.equals("ceil") ? Math.ceil(x) : Math.floor(x)) / scale;
    });
    ALL.put("safe", (in, v, args, kw) -> new Markup(softStr(v)));
    ALL.put("sort", (in, v, args, kw) -> {
      PyMethods.Args p = a("sort", args, kw);
      boolean reverse = Py.truthy(p.opt(0, "reverse", false));
      boolean caseSensitive = Py.truthy(p.opt(1, "case_sensitive", false));
      Object attr = p.opt(2, "attribute", null);
      List<Object> l = Py.toList(v);
      sortBy(l, o -> sortKey(attr == null ? o : attribute(o, attr), caseSensitive), reverse);
      return l;
    });
    ALL.put("string", (in, v, args, kw) -> v instanceof Markup ? v : softStr(v));
    ALL.put("striptags", (in, v, args, kw) -> {
      String s = softStr(v).replaceAll("(?s)<!--.*?-->|<[^>]*>", "");
      return String.join(" ", PyStrings.split(s, null, -1).stream().map(Object::toString).toList());
    });
    ALL.put("sum", (in, v, args, kw) -> {
      PyMethods.Args p = a("sum", args, kw);
      Object attr = p.opt(0, "attribute", null);
      Object total = p.opt(1, "start", 0L);
      for (Object o : Py.iterate(v)) total = Py.add(in, total, attr == null ? o : attribute(o, attr));
      return total;
    });
    ALL.put("title", (in, v, args, kw) -> {
      String s = softStr(v);
      StringBuilder sb = new StringBuilder();
      Matcher m = WORD_BEGINNING.matcher(s);
      int last = 0;
      List<String> pieces = new ArrayList<>();
      while (m.find()) {
        pieces.add(s.substring(last, m.start()));
        pieces.add(m.group());
        last = m.end();
      }
      pieces.add(s.substring(last));
      for (String item : pieces) {
        if (item.isEmpty()) continue;
        int cp = item.codePointAt(0);
        sb.append(PyStrings.upper(new String(Character.toChars(cp))));
        sb.append(PyStrings.lower(item.substring(Character.charCount(cp))));
      }
      return sameKind(v, sb.toString());
    });
    ALL.put("tojson", (in, v, args, kw) -> {
      PyMethods.Args p = a("tojson", args, kw);
      boolean ensureAscii = Py.truthy(p.opt(0, "ensure_ascii", false));
      Object indent = p.opt(1, "indent", null);
      Object separators = p.opt(2, "separators", null);
      boolean sortKeys = Py.truthy(p.opt(3, "sort_keys", false));
      String indentText = null;
      if (indent instanceof CharSequence) indentText = indent.toString();
      else if (indent != null) {
        long width = Math.max(0, Py.toLong(indent));
        in.checkSize(width);
        indentText = " ".repeat((int) width);
      }
      String item = null;
      String key = null;
      if (separators != null) {
        List<Object> seps = Py.toList(separators);
        if (seps.size() != 2) {
          throw new TemplateException("ValueError", "not enough values to unpack (expected 2, got " + seps.size()
              + ")");
        }
        item = softStr(seps.get(0));
        key = softStr(seps.get(1));
      }
      try {
        String json = JsonWriter.python(indentText, item, key, sortKeys, ensureAscii, Py::typeName)
            .limitedTo(in.maxOutputChars()).write(v);
        in.checkSize(json.length());
        return json;
      } catch (JsonWriter.NotSerializableException e) {
        throw TemplateException.typeError(e.getMessage());
      } catch (JsonWriter.TooLongException e) {
        in.checkSize(e.length());
        throw e;
      }
    });
    ALL.put("trim", (in, v, args, kw) -> {
      Object chars = a("trim", args, kw).opt(0, "chars", null);
      return sameKind(v, PyStrings.strip(softStr(v), chars == null ? null : softStr(chars), true, true));
    });
    ALL.put("truncate", (in, v, args, kw) -> {
      PyMethods.Args p = a("truncate", args, kw);
      String s = softStr(v);
      long len = Py.toLong(p.opt(0, "length", 255L));
      boolean killwords = Py.truthy(p.opt(1, "killwords", false));
      String end = softStr(p.opt(2, "end", "..."));
      Object leewayArg = p.opt(3, "leeway", null);
      long leeway = leewayArg == null ? 5 : Py.toLong(leewayArg);
      int n = PyStrings.cpLength(s);
      if (n <= len + leeway) return s;
      String head = PyStrings.cpSubstring(s, 0, (int) Math.max(0, len - PyStrings.cpLength(end)));
      if (killwords) return head + end;
      int sp = head.lastIndexOf(' ');
      return (sp >= 0 ? head.substring(0, sp) : head) + end;
    });
    ALL.put("unique", (in, v, args, kw) -> {
      PyMethods.Args p = a("unique", args, kw);
      boolean caseSensitive = Py.truthy(p.opt(0, "case_sensitive", false));
      Object attr = p.opt(1, "attribute", null);
      List<Object> out = new ArrayList<>();
      java.util.Set<Object> seen = new java.util.HashSet<>();
      for (Object o : Py.iterate(v)) {
        if (seen.add(Py.hashKey(sortKey(attr == null ? o : attribute(o, attr), caseSensitive)))) out.add(o);
      }
      return out;
    });
    ALL.put("wordcount", (in, v, args, kw) -> {
      Matcher m = WORD.matcher(softStr(v));
      long c = 0;
      while (m.find()) c++;
      return c;
    });
    ALL.put("batch", (in, v, args, kw) -> {
      PyMethods.Args p = a("batch", args, kw);
      long size = Py.toLong(p.required(0, "linecount"));
      Object fill = p.opt(1, "fill_with", null);
      boolean hasFill = args.size() > 1 || (kw != null && kw.containsKey("fill_with"));
      List<Object> out = new ArrayList<>();
      List<Object> cur = new ArrayList<>();
      for (Object o : Py.iterate(v)) {
        if (cur.size() == size) {
          out.add(cur);
          cur = new ArrayList<>();
        }
        cur.add(o);
      }
      if (!cur.isEmpty()) {
        if (hasFill) in.checkSize(size);
        if (hasFill) while (cur.size() < size) cur.add(fill);
        out.add(cur);
      }
      return out;
    });
    ALL.put("groupby", (in, v, args, kw) -> {
      PyMethods.Args p = a("groupby", args, kw);
      Object attr = p.required(0, "attribute");
      Object d = p.opt(1, "default", null);
      boolean caseSensitive = Py.truthy(p.opt(2, "case_sensitive", false));
      List<Object> l = Py.toList(v);
      sortBy(l, o -> sortKey(groupKey(o, attr, d), caseSensitive), false);
      List<Object> out = new ArrayList<>();
      Object curKey = Scope.NOT_FOUND;
      List<Object> cur = null;
      for (Object o : l) {
        Object k = sortKey(groupKey(o, attr, d), caseSensitive);
        if (curKey == Scope.NOT_FOUND || !Py.eq(curKey, k)) {
          cur = new ArrayList<>();
          out.add(PyTuple.of(caseSensitive ? k : groupKey(o, attr, d), cur));
          curKey = k;
        }
        cur.add(o);
      }
      return out;
    });
    ALL.put("wordwrap", (in, v, args, kw) -> {
      PyMethods.Args p = a("wordwrap", args, kw);
      long width = Py.toLong(p.opt(0, "width", 79L));
      String s = softStr(v);
      StringBuilder sb = new StringBuilder();
      for (String para : s.split("\n", -1)) {
        if (sb.length() > 0) sb.append('\n');
        StringBuilder line = new StringBuilder();
        for (Object w : PyStrings.split(para, null, -1)) {
          String word = w.toString();
          if (line.length() > 0 && line.length() + 1 + word.length() > width) {
            sb.append(line).append('\n');
            line.setLength(0);
          }
          if (line.length() > 0) line.append(' ');
          line.append(word);
        }
        sb.append(line);
      }
      return sb.toString();
    });
  }


  /** Python's {@code round(value, precision)}: half to even on the exact value; an int stays an int. */
  private static Object roundCommon(Object v, long precision) {
    if (v instanceof Double) {
      double d = (Double) v;
      if (Double.isNaN(d) || Double.isInfinite(d) || precision > 1100) return d; // a double has < 1100 decimals
      if (precision < -400) return d < 0 || (d == 0 && 1 / d < 0) ? -0.0 : 0.0;
      double r = new BigDecimal(d).setScale((int) precision, RoundingMode.HALF_EVEN).doubleValue();
      return r == 0 && (d < 0 || 1 / d < 0) ? -0.0 : r;
    }
    if (!Py.isNumber(v)) {
      if (v instanceof Undefined) throw ((Undefined) v).error();
      throw TemplateException.typeError("type " + Py.typeName(v) + " doesn't define __round__ method");
    }
    Object i = v instanceof Boolean ? (Object) Py.toLong(v) : v;
    if (precision >= 0) return i;
    if (precision < -400) return 0L;
    return Py.normInt(new BigDecimal(Py.toBig(i)).setScale((int) precision, RoundingMode.HALF_EVEN).toBigInteger());
  }

  private static Object groupKey(Object o, Object attr, Object dflt) {
    Object k = attribute(o, attr);
    return k instanceof Undefined && dflt != null ? dflt : k;
  }

  /** jinja2's {@code do_indent}; {@code width} is a number of spaces or the indent text itself. */
  static String indent(Interpreter in, String s, Object width, boolean first, boolean blank) {
    String src = s + "\n";
    List<Object> lines = PyStrings.splitlines(src, false);
    String indention;
    if (width instanceof CharSequence) {
      indention = width.toString();
    } else {
      long w = Math.max(0, Py.toLong(width));
      if (lines.size() > 1 || first) in.checkSize(s.length() + Py.saturatedProduct(w, lines.size()));
      indention = lines.size() > 1 || first ? " ".repeat((int) w) : "";
    }
    StringBuilder rv = new StringBuilder();
    if (blank) {
      for (int i = 0; i < lines.size(); i++) {
        if (i > 0) rv.append('\n').append(indention);
        rv.append(lines.get(i));
      }
    } else {
      rv.append(lines.get(0));
      for (int i = 1; i < lines.size(); i++) {
        rv.append('\n');
        String line = lines.get(i).toString();
        if (!line.isEmpty()) rv.append(indention);
        rv.append(line);
      }
    }
    return first ? indention + rv : rv.toString();
  }

  private static Object toFloat(Object v, Object dflt) {
    if (v instanceof Double) return v;
    if (Py.isNumber(v)) return Py.toDouble(v);
    if (v instanceof CharSequence) {
      String t = PyStrings.strip(v.toString(), null, true, true).replace("_", "");
      try {
        if (t.equalsIgnoreCase("nan")) return Double.NaN;
        if (t.equalsIgnoreCase("inf") || t.equalsIgnoreCase("infinity") || t.equalsIgnoreCase("+inf")) {
          return Double.POSITIVE_INFINITY;
        }
        if (t.equalsIgnoreCase("-inf") || t.equalsIgnoreCase("-infinity")) return Double.NEGATIVE_INFINITY;
        if (!t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) return dflt;
        return Double.parseDouble(t);
      } catch (NumberFormatException e) {
        return dflt;
      }
    }
    return dflt;
  }

  /** Python's {@code int(float)}: OverflowError for an infinity (jinja2's int filter lets it through). */
  private static Object floatToInt(double d, Object dflt) {
    if (Double.isNaN(d)) return dflt;
    if (Double.isInfinite(d)) throw new TemplateException("OverflowError", "cannot convert float infinity to integer");
    return Py.normInt(new BigDecimal(d).toBigInteger());
  }

  private static Object toInt(Object v, Object dflt, int base) {
    if (v instanceof Boolean) return Py.toLong(v);
    if (v instanceof Long || v instanceof BigInteger) return v;
    if (v instanceof Double) return floatToInt((Double) v, dflt);
    if (v instanceof CharSequence) {
      String t = PyStrings.strip(v.toString(), null, true, true).replace("_", "");
      try {
        if (t.length() > Py.MAX_STR_DIGITS + 1) throw new NumberFormatException("too many digits for int()");
        if (base == 10) return Py.normInt(new BigInteger(t.startsWith("+") ? t.substring(1) : t));
        String body = t.toLowerCase(java.util.Locale.ROOT);
        boolean neg = body.startsWith("-");
        if (neg || body.startsWith("+")) body = body.substring(1);
        if (body.length() > 2 && body.charAt(0) == '0' && "xob".indexOf(body.charAt(1)) >= 0) {
          body = body.substring(2);
        }
        BigInteger b = new BigInteger(body, base);
        return Py.normInt(neg ? b.negate() : b);
      } catch (NumberFormatException e) {
        Object f = toFloat(v, null); // jinja2: int(float(value)), where an OverflowError gives the default
        return f instanceof Double && !((Double) f).isInfinite() ? floatToInt((Double) f, dflt) : dflt;
      }
    }
    return dflt;
  }

  /** {@code attribute="a.b.0"}: a dotted path of attribute names and integer indices. */
  static Object attribute(Object o, Object attr) {
    if (!(attr instanceof CharSequence)) return Py.getitem(o, attr);
    Object cur = o;
    for (String part : attr.toString().split("\\.")) {
      Object key = part.chars().allMatch(Character::isDigit) && !part.isEmpty()
          ? Py.normInt(new BigInteger(part)) : part;
      cur = Py.getitem(cur, key);
    }
    return cur;
  }

  private static Object sortKey(Object o, boolean caseSensitive) {
    if (!caseSensitive && o instanceof CharSequence) return PyStrings.lower(o.toString());
    return o;
  }

  private static void sortBy(List<Object> items, java.util.function.Function<Object, Object> key, boolean reverse) {
    Comparator<Object> c = (x, y) -> Py.compare(key.apply(x), key.apply(y), "<");
    items.sort(reverse ? c.reversed() : c);
  }

  private static Object minMax(Object v, List<Object> args, Map<String, Object> kw, boolean max) {
    PyMethods.Args p = a(max ? "max" : "min", args, kw);
    boolean caseSensitive = Py.truthy(p.opt(0, "case_sensitive", false));
    Object attr = p.opt(1, "attribute", null);
    Object best = null;
    Object bestKey = null;
    boolean any = false;
    for (Object o : Py.iterate(v)) {
      Object k = sortKey(attr == null ? o : attribute(o, attr), caseSensitive);
      if (!any || (max ? Py.compare(k, bestKey, ">") > 0 : Py.compare(k, bestKey, "<") < 0)) {
        best = o;
        bestKey = k;
        any = true;
      }
    }
    if (!any) return Undefined.hint("No aggregated item, sequence was empty.");
    return best;
  }

  private static Object select(Interpreter in, Object v, List<Object> args, Map<String, Object> kw, boolean keep,
      boolean byAttr) {
    Object attr = null;
    int i = 0;
    if (byAttr) {
      if (args.isEmpty()) throw new TemplateException("FilterArgumentError", "Missing parameter for attribute name");
      attr = args.get(0);
      i = 1;
    }
    Tests.Fn test = null;
    List<Object> testArgs = List.of();
    if (args.size() > i) {
      String name = softStr(args.get(i));
      test = Tests.get(name);
      if (test == null) throw new TemplateException("TemplateRuntimeError", "No test named '" + name + "'.");
      testArgs = args.subList(i + 1, args.size());
    }
    List<Object> out = new ArrayList<>();
    for (Object o : Py.iterate(v)) {
      Object x = byAttr ? attribute(o, attr) : o;
      boolean ok = test == null ? Py.truthy(x) : test.test(in, x, testArgs, kw);
      if (ok == keep) out.add(o);
    }
    return out;
  }

  static boolean isCollection(Object o) {
    return o instanceof Collection;
  }
}
