package io.sftprep.core.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The methods of {@code str}, {@code list} and {@code dict} a template may call. Methods that mutate a list or
 * dict exist (so {@code messages.append} is not silently undefined) but are refused, as jinja2's
 * {@code ImmutableSandboxedEnvironment} refuses them.
 */
final class PyMethods {
  private PyMethods() {}

  private static final Set<String> DICT_UNSAFE = Set.of("clear", "pop", "popitem", "setdefault", "update");
  private static final Set<String> LIST_SAFE = Set.of("index", "count", "copy");
  private static final Set<String> LIST_UNSAFE =
      Set.of("append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear");
  private static final Set<String> STR_METHODS = Set.of("strip", "lstrip", "rstrip", "split", "rsplit",
      "splitlines", "startswith", "endswith", "upper", "lower", "title", "capitalize", "swapcase", "casefold",
      "replace", "find", "rfind", "index", "rindex", "count", "join", "format", "isdigit", "isalpha", "isalnum",
      "isspace", "isupper", "islower", "isnumeric", "isdecimal", "zfill", "center", "ljust", "rjust", "partition",
      "rpartition", "removeprefix", "removesuffix", "expandtabs", "istitle", "format_map");

  static boolean isDictMethod(String name) {
    switch (name) { // runs on every attribute of every dict: a switch, not two set lookups
      case "get": case "items": case "keys": case "values": case "copy":
      case "clear": case "pop": case "popitem": case "setdefault": case "update":
        return true;
      default:
        return false;
    }
  }

  static Object dictMethod(Map<?, ?> m, String name) {
    if (DICT_UNSAFE.contains(name)) return Undefined.unsafe(m, name);
    return new Bound(m, name);
  }

  /** A bound method of a string or list, an unsafe marker, or null when there is no such method. */
  static Object method(Object self, String name) {
    if (self instanceof CharSequence) return STR_METHODS.contains(name) ? new Bound(self, name) : null;
    if (self instanceof PyTuple || self instanceof PyRange) { // immutable: only index and count
      return name.equals("index") || name.equals("count") ? new Bound(self, name) : null;
    }
    if (self instanceof List) {
      if (LIST_UNSAFE.contains(name)) return Undefined.unsafe(self, name);
      return LIST_SAFE.contains(name) ? new Bound(self, name) : null;
    }
    return null;
  }

  /** {@code self.name} bound, ready to call. */
  static final class Bound implements PyCallable {
    final Object self;
    final String name;

    Bound(Object self, String name) {
      this.self = self;
      this.name = name;
    }

    /** jinja2's sandbox hands out {@code str.format} and {@code format_map} wrapped in a Python function. */
    String pythonType() {
      return isFormat() ? "function" : "builtin_function_or_method";
    }

    private boolean isFormat() {
      return self instanceof CharSequence && (name.equals("format") || name.equals("format_map"));
    }

    @Override
    public String toString() {
      if (isFormat()) return "<function str." + name + ">";
      return "<built-in method " + name + " of " + Py.typeName(self) + " object>";
    }

    @Override
    public Object call(Interpreter in, List<Object> args, Map<String, Object> kwargs) {
      Args a = new Args(name, args, kwargs);
      if (self instanceof Map) return in.built(self, callDict((Map<?, ?>) self, name, a));
      if (self instanceof List) return in.built(self, callList((List<?>) self, name, a));
      String s = self.toString();
      return in.built(s, callStr(in, s, name, a, self instanceof Markup));
    }
  }

  private static Object callDict(Map<?, ?> m, String name, Args a) {
    switch (name) {
      case "get": {
        a.max(2);
        Object key = a.required(0, "key");
        Object v = Py.getitemOrMissing(m, key);
        return v == Py.MISSING ? a.opt(1, "default", null) : v;
      }
      case "items": {
        a.max(0);
        List<Object> out = new ArrayList<>(m.size());
        for (Map.Entry<?, ?> e : m.entrySet()) out.add(PyTuple.of(e.getKey(), e.getValue()));
        return new DictView("dict_items", out);
      }
      case "keys":
        a.max(0);
        return new DictView("dict_keys", new ArrayList<Object>(m.keySet()));
      case "values":
        a.max(0);
        return new DictView("dict_values", new ArrayList<Object>(m.values()));
      case "copy":
        a.max(0);
        return new LinkedHashMap<Object, Object>(m);
      default:
        throw new TemplateException("AttributeError", "'dict' object has no attribute '" + name + "'");
    }
  }

  private static Object callList(List<?> l, String name, Args a) {
    switch (name) {
      case "index": {
        Object x = a.required(0, "value");
        for (int i = 0; i < l.size(); i++) {
          if (Py.eq(l.get(i), x)) return (long) i;
        }
        throw new TemplateException("ValueError", Py.repr(x) + " is not in list");
      }
      case "count": {
        Object x = a.required(0, "value");
        long n = 0;
        for (Object e : l) if (Py.eq(e, x)) n++;
        return n;
      }
      case "copy":
        return new ArrayList<Object>(l);
      default:
        throw new TemplateException("AttributeError", "'list' object has no attribute '" + name + "'");
    }
  }

  private static String strArg(Args a, int i, String kw, String method) {
    Object v = a.opt(i, kw, null);
    if (v == null) return null;
    if (v instanceof Undefined) throw ((Undefined) v).error();
    if (!(v instanceof CharSequence)) {
      throw TemplateException.typeError(method + " arg must be None or str");
    }
    return v.toString();
  }

  private static Object callStr(Interpreter in, String s, String name, Args a, boolean markup) {
    switch (name) {
      case "strip":
      case "lstrip":
      case "rstrip": {
        a.max(1);
        String chars = strArg(a, 0, "chars", name);
        return PyStrings.strip(s, chars, !name.equals("rstrip"), !name.equals("lstrip"));
      }
      case "split":
      case "rsplit": {
        a.max(2);
        String sep = strArg(a, 0, "sep", name);
        long max = Py.toLong(a.opt(1, "maxsplit", -1L));
        return name.equals("split") ? PyStrings.split(s, sep, max) : PyStrings.rsplit(s, sep, max);
      }
      case "splitlines":
        return PyStrings.splitlines(s, Py.truthy(a.opt(0, "keepends", false)));
      case "startswith":
      case "endswith": {
        Object p = a.required(0, "prefix");
        String sub = sliceFor(s, a);
        boolean start = name.equals("startswith");
        if (p instanceof PyTuple) {
          for (Object o : (PyTuple) p) {
            if (!(o instanceof CharSequence)) {
              throw TemplateException.typeError("tuple for " + name + " must only contain str, not "
                  + Py.typeName(o));
            }
            if (start ? sub.startsWith(o.toString()) : sub.endsWith(o.toString())) return true;
          }
          return false;
        }
        if (p instanceof Undefined) throw ((Undefined) p).error();
        if (!(p instanceof CharSequence)) {
          throw TemplateException.typeError(name + " first arg must be str or a tuple of str, not "
              + Py.typeName(p));
        }
        return start ? sub.startsWith(p.toString()) : sub.endsWith(p.toString());
      }
      case "upper":
        return wrap(PyStrings.upper(s), markup);
      case "lower":
      case "casefold":
        return wrap(PyStrings.lower(s), markup);
      case "title":
        return wrap(PyStrings.title(s), markup);
      case "capitalize":
        return wrap(PyStrings.capitalize(s), markup);
      case "swapcase":
        return wrap(PyStrings.swapcase(s), markup);
      case "replace": {
        a.max(3);
        String old = strRequired(a, 0, "old");
        String neu = strRequired(a, 1, "new");
        long count = Py.toLong(a.opt(2, "count", -1L));
        return PyStrings.replace(in, s, old, neu, count);
      }
      case "find":
      case "rfind":
      case "index":
      case "rindex": {
        String sub = strRequired(a, 0, "sub");
        long r = PyStrings.find(s, sub, name.startsWith("r"));
        if (r < 0 && name.endsWith("index")) throw new TemplateException("ValueError", "substring not found");
        return r;
      }
      case "count":
        return PyStrings.count(s, strRequired(a, 0, "sub"));
      case "join": {
        Object it = a.required(0, "iterable");
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (Object e : Py.iterate(it)) {
          if (!(e instanceof CharSequence)) {
            throw TemplateException.typeError("sequence item " + i + ": expected str instance, "
                + Py.typeName(e) + " found");
          }
          if (i > 0) sb.append(s);
          sb.append(e);
          in.checkSize(sb.length());
          i++;
        }
        return sb.toString();
      }
      case "format":
        return PyFormat.format(in, s, a.positional, a.keywords);
      case "format_map": {
        if (a.positional.size() != 1 || (a.keywords != null && !a.keywords.isEmpty())) {
          throw TemplateException.typeError("format_map() takes exactly one argument (" + a.positional.size()
              + " given)");
        }
        return PyFormat.format(in, s, List.of(), a.positional.get(0));
      }
      case "isdigit":
      case "isnumeric":
      case "isdecimal":
        return PyStrings.isDigitStr(s);
      case "isalpha":
        return PyStrings.isAlphaStr(s);
      case "isalnum":
        return PyStrings.isAlnumStr(s);
      case "isspace":
        return PyStrings.isSpaceStr(s);
      case "isupper":
        return PyStrings.isUpperStr(s);
      case "islower":
        return PyStrings.isLowerStr(s);
      case "istitle":
        return !s.isEmpty() && PyStrings.title(s).equals(s) && !PyStrings.lower(s).equals(PyStrings.upper(s));
      case "zfill": {
        long w = Py.toLong(a.required(0, "width"));
        int len = PyStrings.cpLength(s);
        if (w <= len) return s;
        in.checkSize(w);
        String sign = "";
        String body = s;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
          sign = s.substring(0, 1);
          body = s.substring(1);
        }
        return sign + "0".repeat((int) (w - len)) + body;
      }
      case "center":
      case "ljust":
      case "rjust": {
        long w = Py.toLong(a.required(0, "width"));
        String fill = strArg(a, 1, "fillchar", name);
        return PyStrings.pad(in, s, w, fill == null ? " " : fill,
            name.equals("center") ? '^' : (name.equals("ljust") ? '<' : '>'));
      }
      case "partition":
      case "rpartition": {
        String sep = strRequired(a, 0, "sep");
        if (sep.isEmpty()) throw new TemplateException("ValueError", "empty separator");
        int j = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
        if (j < 0) {
          return name.equals("partition") ? PyTuple.of(s, "", "") : PyTuple.of("", "", s);
        }
        return PyTuple.of(s.substring(0, j), sep, s.substring(j + sep.length()));
      }
      case "removeprefix": {
        String p = strRequired(a, 0, "prefix");
        return s.startsWith(p) ? s.substring(p.length()) : s;
      }
      case "removesuffix": {
        String p = strRequired(a, 0, "suffix");
        return !p.isEmpty() && s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s;
      }
      case "expandtabs": {
        long tab = Py.toLong(a.opt(0, "tabsize", 8L));
        StringBuilder sb = new StringBuilder();
        long col = 0;
        for (int i = 0; i < s.length(); i++) {
          char c = s.charAt(i);
          if (c == '\t') {
            if (tab > 0) {
              long sp = tab - col % tab;
              in.checkSize(sb.length() + sp);
              sb.append(" ".repeat((int) sp));
              col += sp;
            }
          } else {
            sb.append(c);
            col = (c == '\n' || c == '\r') ? 0 : col + 1;
          }
        }
        return sb.toString();
      }
      default:
        throw new TemplateException("AttributeError", "'str' object has no attribute '" + name + "'");
    }
  }

  private static Object wrap(String s, boolean markup) {
    return markup ? new Markup(s) : s;
  }

  private static String strRequired(Args a, int i, String kw) {
    Object v = a.required(i, kw);
    if (v instanceof Undefined) throw ((Undefined) v).error();
    if (!(v instanceof CharSequence)) {
      throw TemplateException.typeError("must be str, not " + Py.typeName(v));
    }
    return v.toString();
  }

  /** {@code s[start:end]} for startswith/endswith's optional bounds. */
  private static String sliceFor(String s, Args a) {
    Object st = a.opt(1, "start", null);
    Object en = a.opt(2, "end", null);
    if (st == null && en == null) return s;
    return (String) new Slice(st, en, null).apply(s);
  }

  /** Positional and keyword arguments of one call, with Python's errors for missing or extra ones. */
  static final class Args {
    final String fn;
    final List<Object> positional;
    final Map<String, Object> keywords;

    Args(String fn, List<Object> positional, Map<String, Object> keywords) {
      this.fn = fn;
      this.positional = positional;
      this.keywords = keywords;
    }

    Object opt(int i, String kw, Object dflt) {
      if (i < positional.size()) return positional.get(i);
      if (keywords != null && keywords.containsKey(kw)) return keywords.get(kw);
      return dflt;
    }

    Object required(int i, String kw) {
      if (i < positional.size()) return positional.get(i);
      if (keywords != null && keywords.containsKey(kw)) return keywords.get(kw);
      throw TemplateException.typeError(fn + "() missing required argument '" + kw + "' (pos " + (i + 1) + ")");
    }

    void max(int n) {
      if (positional.size() > n) {
        throw TemplateException.typeError(fn + "() takes at most " + n + " arguments (" + positional.size()
            + " given)");
      }
    }
  }
}
