package io.sftprep.core.template;

import io.sftprep.core.json.PyNumbers;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Python's semantics for the values a template handles: names of types, {@code str()} and {@code repr()},
 * truthiness, equality and ordering, arithmetic, membership, attribute and item access, iteration and length.
 * Strings index by code point, as Python's do.
 */
final class Py {
  private Py() {}

  // ---------------------------------------------------------------- type names

  static String typeName(Object v) {
    if (v == null) return "NoneType";
    if (v instanceof String) return "str";
    if (v instanceof Boolean) return "bool";
    if (v instanceof Long || v instanceof Integer || v instanceof BigInteger) return "int";
    if (v instanceof Double || v instanceof Float) return "float";
    if (v instanceof PyTuple) return "tuple";
    if (v instanceof PyRange) return "range";
    if (v instanceof DictView) return ((DictView) v).kind;
    if (v instanceof List) return "list";
    if (v instanceof Map) return "dict";
    if (v instanceof Markup) return "Markup";
    if (v instanceof Undefined) return "Undefined";
    if (v instanceof Namespace) return "Namespace";
    if (v instanceof LoopContext) return "LoopContext";
    if (v instanceof Macro) return "Macro";
    if (v instanceof PyFunction) return ((PyFunction) v).pythonType;
    if (v instanceof PyMethods.Bound) return ((PyMethods.Bound) v).pythonType();
    if (v instanceof Builtins.Cycler) return "Cycler";
    if (v instanceof Builtins.Joiner) return "Joiner";
    if (v instanceof Builtins.TemplateReference) return "TemplateReference";
    if (v instanceof PyCallable) return "builtin_function_or_method";
    return v.getClass().getSimpleName();
  }

  /** jinja2's {@code object_type_repr}: {@code "dict object"}, {@code "None"}, {@code "jinja2.utils.Namespace object"}. */
  static String typeRepr(Object v) {
    if (v == null) return "None";
    if (v instanceof Namespace) return "jinja2.utils.Namespace object";
    if (v instanceof Markup) return "markupsafe.Markup object";
    if (v instanceof LoopContext) return "jinja2.runtime.LoopContext object";
    if (v instanceof Macro) return "jinja2.runtime.Macro object";
    if (v instanceof Undefined) return "jinja2.runtime.Undefined object";
    if (v instanceof Builtins.Cycler) return "jinja2.utils.Cycler object";
    if (v instanceof Builtins.Joiner) return "jinja2.utils.Joiner object";
    if (v instanceof Builtins.TemplateReference) return "jinja2.runtime.TemplateReference object";
    return typeName(v) + " object";
  }

  // ---------------------------------------------------------------- str / repr

  static boolean isNumber(Object v) {
    return v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof BigInteger
        || v instanceof Integer;
  }

  static String str(Object v) {
    if (v instanceof String) return (String) v;
    StringBuilder sb = new StringBuilder();
    appendStr(sb, v);
    return sb.toString();
  }

  static void appendStr(StringBuilder sb, Object v) {
    if (v instanceof String) sb.append((String) v);
    else if (v == null) sb.append("None");
    else if (v instanceof Boolean) sb.append(((Boolean) v) ? "True" : "False");
    else if (v instanceof Long || v instanceof Integer) sb.append(v);
    else if (v instanceof BigInteger) sb.append(intToString((BigInteger) v));
    else if (v instanceof Double) sb.append(PyNumbers.floatRepr((Double) v));
    else if (v instanceof Markup) sb.append(((Markup) v).text);
    else if (v instanceof Undefined) { /* prints as nothing */ }
    else appendRepr(sb, v);
  }

  /** CPython 3.11 refuses to print an int of more than 4300 digits (sys.get_int_max_str_digits()). */
  static final int MAX_STR_DIGITS = 4300;

  static String intToString(BigInteger b) {
    String s = b.bitLength() > 14_400 ? null : b.toString(); // 2**14400 has 4335 digits
    if (s == null || s.length() - (b.signum() < 0 ? 1 : 0) > MAX_STR_DIGITS) {
      throw new TemplateException("ValueError", "Exceeds the limit (" + MAX_STR_DIGITS + " digits) for integer string "
          + "conversion; use sys.set_int_max_str_digits() to increase the limit");
    }
    return s;
  }

  /** Python's {@code ascii()} of a repr: every non-ASCII character escaped. */
  static String ascii(String repr) {
    StringBuilder sb = new StringBuilder(repr.length());
    for (int i = 0; i < repr.length(); ) {
      int cp = repr.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 0x80) sb.append((char) cp);
      else if (cp < 0x100) hex(sb, "\\x", cp, 2);
      else if (cp < 0x10000) hex(sb, "\\u", cp, 4);
      else hex(sb, "\\U", cp, 8);
    }
    return sb.toString();
  }

  static String repr(Object v) {
    StringBuilder sb = new StringBuilder();
    appendRepr(sb, v);
    return sb.toString();
  }

  static void appendRepr(StringBuilder sb, Object v) {
    if (v instanceof List && !(v instanceof PyRange) || v instanceof Map || v instanceof Namespace
        || v instanceof DictView) {
      new ReprWalk(sb).repr(v);
    } else {
      appendReprScalar(sb, v);
    }
  }

  private static void appendReprScalar(StringBuilder sb, Object v) {
    if (v instanceof String) {
      reprString(sb, (String) v);
    } else if (v instanceof Markup) {
      sb.append("Markup(");
      reprString(sb, ((Markup) v).text);
      sb.append(')');
    } else if (v instanceof PyRange) {
      sb.append(v);
    } else if (v instanceof Undefined) {
      sb.append("Undefined");
    } else if (v instanceof Macro) {
      sb.append("<Macro '").append(((Macro) v).name).append("'>");
    } else if (v instanceof PyFunction || v instanceof PyMethods.Bound || v instanceof HasAttributes
        && !(v instanceof LoopContext)) {
      sb.append(v);
    } else if (v instanceof PyCallable && !(v instanceof LoopContext)) {
      sb.append("<built-in function>");
    } else if (v instanceof LoopContext) {
      sb.append("<LoopContext ").append(((LoopContext) v).index0() + 1).append('/')
          .append(((LoopContext) v).length()).append('>');
    } else if (v == null || v instanceof Boolean || v instanceof Number) {
      appendStr(sb, v);
    } else {
      sb.append(v); // a slice and other internal values
    }
  }

  /**
   * repr() of lists, tuples, dicts and namespaces, which a template can nest into itself through a namespace
   * ({@code [...]}, {@code {...}} as Python prints a container inside itself) or share so that the printed form
   * grows exponentially (stopped by the render's limits on output size and time).
   */
  private static final class ReprWalk {
    private final StringBuilder sb;
    private final Interpreter in = Interpreter.current();
    private final java.util.IdentityHashMap<Object, Boolean> open = new java.util.IdentityHashMap<>();
    private long visited;

    ReprWalk(StringBuilder sb) {
      this.sb = sb;
    }

    void repr(Object v) {
      if (v instanceof DictView) {
        sb.append(((DictView) v).kind).append('(');
        repr(((DictView) v).items);
        sb.append(')');
        return;
      }
      if (!(v instanceof List && !(v instanceof PyRange) || v instanceof Map || v instanceof Namespace)) {
        appendReprScalar(sb, v);
        return;
      }
      if (in != null && (++visited & 0x3ff) == 0) {
        in.checkSize(sb.length());
        in.checkTime();
      }
      if (v instanceof Namespace) {
        sb.append("<Namespace ");
        repr(((Namespace) v).attrs);
        sb.append('>');
        return;
      }
      boolean tuple = v instanceof PyTuple;
      if (open.put(v, Boolean.TRUE) != null) {
        sb.append(v instanceof Map ? "{...}" : tuple ? "(...)" : "[...]");
        return;
      }
      if (v instanceof Map) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
          if (!first) sb.append(", ");
          repr(e.getKey());
          sb.append(": ");
          repr(e.getValue());
          first = false;
        }
        sb.append('}');
      } else {
        List<?> l = (List<?>) v;
        sb.append(tuple ? '(' : '[');
        for (int i = 0, n = l.size(); i < n; i++) {
          if (i > 0) sb.append(", ");
          repr(l.get(i));
        }
        if (tuple && l.size() == 1) sb.append(',');
        sb.append(tuple ? ')' : ']');
      }
      open.remove(v);
    }
  }

  private static void reprString(StringBuilder sb, String s) {
    char quote = '\'';
    if (s.indexOf('\'') >= 0 && s.indexOf('"') < 0) quote = '"';
    sb.append(quote);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == quote || cp == '\\') {
        sb.append('\\').append((char) cp);
      } else if (cp == '\t') {
        sb.append("\\t");
      } else if (cp == '\n') {
        sb.append("\\n");
      } else if (cp == '\r') {
        sb.append("\\r");
      } else if (cp < 0x20 || cp == 0x7f) {
        hex(sb, "\\x", cp, 2);
      } else if (cp < 0x7f) {
        sb.append((char) cp);
      } else if (isPrintable(cp)) {
        sb.appendCodePoint(cp);
      } else if (cp < 0x100) {
        hex(sb, "\\x", cp, 2);
      } else if (cp < 0x10000) {
        hex(sb, "\\u", cp, 4);
      } else {
        hex(sb, "\\U", cp, 8);
      }
    }
    sb.append(quote);
  }

  private static void hex(StringBuilder sb, String prefix, int cp, int width) {
    String h = Integer.toHexString(cp);
    sb.append(prefix);
    for (int i = h.length(); i < width; i++) sb.append('0');
    sb.append(h);
  }

  /** Python's {@code str.isprintable()} for one code point. */
  static boolean isPrintable(int cp) {
    if (cp == ' ') return true;
    switch (Character.getType(cp)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.SURROGATE:
      case Character.PRIVATE_USE:
      case Character.UNASSIGNED:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
      case Character.SPACE_SEPARATOR:
        return false;
      default:
        return true;
    }
  }

  // ---------------------------------------------------------------- truth, equality, order

  static boolean truthy(Object v) {
    if (v == null) return false;
    if (v instanceof Boolean) return (Boolean) v;
    if (v instanceof String) return !((String) v).isEmpty();
    if (v instanceof Long) return (Long) v != 0L;
    if (v instanceof Double) return (Double) v != 0.0;
    if (v instanceof Collection) return !((Collection<?>) v).isEmpty();
    if (v instanceof Map) return !((Map<?, ?>) v).isEmpty();
    if (v instanceof DictView) return ((DictView) v).size() > 0;
    if (v instanceof Undefined) return false;
    if (v instanceof Markup) return ((Markup) v).text.length() > 0;
    if (v instanceof BigInteger) return ((BigInteger) v).signum() != 0;
    if (v instanceof Integer) return (Integer) v != 0;
    return true;
  }

  static boolean eq(Object a, Object b) {
    if (a == b) return true;
    if (a == null || b == null) return false;
    if (a instanceof String && b instanceof String) return a.equals(b);
    if (isNumber(a) && isNumber(b)) return numCompare(a, b) == 0;
    if (a instanceof CharSequence && b instanceof CharSequence) return a.toString().equals(b.toString());
    if (a instanceof Undefined || b instanceof Undefined) return a instanceof Undefined && b instanceof Undefined;
    if (a instanceof List && b instanceof List) {
      if ((a instanceof PyTuple) != (b instanceof PyTuple) || (a instanceof PyRange) != (b instanceof PyRange)) {
        return false;
      }
      tick();
      List<?> x = (List<?>) a;
      List<?> y = (List<?>) b;
      if (x.size() != y.size()) return false;
      for (int i = 0; i < x.size(); i++) {
        if (!eq(x.get(i), y.get(i))) return false;
      }
      return true;
    }
    if (a instanceof DictView && b instanceof DictView) { // keys and items compare as sets, values never
      DictView x = (DictView) a;
      DictView y = (DictView) b;
      if (!x.kind.equals(y.kind) || x.kind.equals("dict_values") || x.size() != y.size()) return false;
      for (Object e : x) {
        if (!contains(y, e)) return false;
      }
      return true;
    }
    if (a instanceof Map && b instanceof Map) {
      Map<?, ?> x = (Map<?, ?>) a;
      Map<?, ?> y = (Map<?, ?>) b;
      if (x.size() != y.size()) return false;
      tick();
      for (Map.Entry<?, ?> e : x.entrySet()) {
        Object k = findKey(y, e.getKey());
        if (k == NO_KEY || !eq(e.getValue(), y.get(k))) return false;
      }
      return true;
    }
    return a.equals(b);
  }

  /**
   * A key that is equal for values Python's set and dict treat as the same ({@code 1}, {@code 1.0}, {@code True};
   * a str and its Markup); a list or dict is unhashable, as in Python.
   */
  static Object hashKey(Object v) {
    if (v instanceof Boolean) return ((Boolean) v) ? 1L : 0L;
    if (v instanceof Integer) return (long) (Integer) v;
    if (v instanceof Double) {
      double d = (Double) v;
      if (d == Math.rint(d) && !Double.isInfinite(d)) {
        return Math.abs(d) < 0x1p63 ? (Object) (long) d : normInt(new java.math.BigDecimal(d).toBigInteger());
      }
      return v;
    }
    if (v instanceof Markup) return ((Markup) v).text;
    if (v instanceof PyTuple) {
      List<Object> keys = new ArrayList<>();
      for (Object e : (PyTuple) v) keys.add(hashKey(e));
      return keys;
    }
    if (v instanceof Undefined) return Undefined.class;
    if (v instanceof List || v instanceof Map || v instanceof DictView) {
      throw TemplateException.typeError("unhashable type: '" + typeName(v) + "'");
    }
    return v;
  }

  /** Comparing nested values is work a template can make exponential (shared sublists): it counts. */
  private static void tick() {
    Interpreter in = Interpreter.current();
    if (in != null) in.tick();
  }

  private static final Object NO_KEY = new Object();
  /** Returned by {@link #getitemOrMissing} when a mapping has no such key. */
  static final Object MISSING = new Object();

  static Object getitemOrMissing(Map<?, ?> m, Object key) {
    Object k = findKey(m, key);
    return k == NO_KEY ? MISSING : m.get(k);
  }

  /** The key of {@code m} equal to {@code key} under Python equality ({@code 1 == 1.0 == True}), or NO_KEY. */
  private static Object findKey(Map<?, ?> m, Object key) {
    if (key instanceof String || key == null) return m.containsKey(key) ? key : NO_KEY;
    if (m.containsKey(key)) return key;
    for (Object k : m.keySet()) {
      if (eq(k, key)) return k;
    }
    return NO_KEY;
  }

  static int numCompare(Object a, Object b) {
    if (a instanceof Double || b instanceof Double) {
      double x = toDouble(a);
      double y = toDouble(b);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a instanceof BigInteger || b instanceof BigInteger) return toBig(a).compareTo(toBig(b));
    return Long.compare(toLong(a), toLong(b));
  }

  /** Python ordering ({@code <}, {@code <=}, ...): numbers, strings by code point, sequences element-wise. */
  static int compare(Object a, Object b, String op) {
    if (a instanceof Undefined) throw ((Undefined) a).error();
    if (b instanceof Undefined) throw ((Undefined) b).error();
    if (isNumber(a) && isNumber(b)) return numCompare(a, b);
    if (a instanceof CharSequence && b instanceof CharSequence) return compareStrings(a.toString(), b.toString());
    if (a instanceof List && b instanceof List && (a instanceof PyTuple) == (b instanceof PyTuple)) {
      List<?> x = (List<?>) a;
      List<?> y = (List<?>) b;
      for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
        if (!eq(x.get(i), y.get(i))) return compare(x.get(i), y.get(i), op);
      }
      return Integer.compare(x.size(), y.size());
    }
    throw TemplateException.typeError("'" + op + "' not supported between instances of '" + typeName(a) + "' and '"
        + typeName(b) + "'");
  }

  static int compareStrings(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
          return Integer.compare(a.codePointAt(i), b.codePointAt(i));
        }
        return Character.compare(x, y);
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  // ---------------------------------------------------------------- numbers

  /** An int as C's {@code ssize_t} (a width, count or index); past 2**63 Python raises OverflowError. */
  static long toLong(Object v) {
    if (v instanceof Long) return (Long) v;
    if (v instanceof Boolean) return ((Boolean) v) ? 1 : 0;
    if (v instanceof Integer) return (Integer) v;
    if (v instanceof BigInteger) {
      BigInteger b = (BigInteger) v;
      if (b.bitLength() < 64) return b.longValue();
      throw new TemplateException("OverflowError", "Python int too large to convert to C ssize_t");
    }
    if (v instanceof Double) return (long) (double) (Double) v;
    throw TemplateException.typeError("'" + typeName(v) + "' object cannot be interpreted as an integer");
  }

  /** Python's {@code operator.index}: an int (or bool) as a long; a float is a TypeError. */
  static long index(Object v) {
    if (v instanceof Double) throw TemplateException.typeError("'float' object cannot be interpreted as an integer");
    return toLong(v);
  }

  static double toDouble(Object v) {
    if (v instanceof Double) return (Double) v;
    if (v instanceof Long) return (Long) v;
    if (v instanceof Boolean) return ((Boolean) v) ? 1 : 0;
    if (v instanceof BigInteger) return ((BigInteger) v).doubleValue();
    if (v instanceof Integer) return (Integer) v;
    throw TemplateException.typeError("must be real number, not " + typeName(v));
  }

  static BigInteger toBig(Object v) {
    if (v instanceof BigInteger) return (BigInteger) v;
    return BigInteger.valueOf(toLong(v));
  }

  static Object normInt(BigInteger b) {
    return b.bitLength() < 64 ? (Object) b.longValue() : b;
  }

  private static boolean isInt(Object v) {
    return v instanceof Long || v instanceof Boolean || v instanceof BigInteger || v instanceof Integer;
  }

  private static TemplateException unsupported(String op, Object a, Object b) {
    return TemplateException.typeError("unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '"
        + typeName(b) + "'");
  }

  private static void undefinedCheck(Object a, Object b) {
    if (a instanceof Undefined) throw ((Undefined) a).error();
    if (b instanceof Undefined) throw ((Undefined) b).error();
  }

  static Object add(Interpreter in, Object a, Object b) {
    if (a instanceof String && b instanceof String) {
      in.account(((String) a).length() + (long) ((String) b).length());
      return ((String) a).concat((String) b);
    }
    undefinedCheck(a, b);
    if (a instanceof Markup && (b instanceof CharSequence)) {
      return new Markup(((Markup) a).text + (b instanceof Markup ? b.toString() : Markup.escape(b.toString())));
    }
    if (b instanceof Markup && a instanceof String) return new Markup(Markup.escape((String) a) + ((Markup) b).text);
    if (a instanceof String) {
      throw TemplateException.typeError("can only concatenate str (not \"" + typeName(b) + "\") to str");
    }
    if (isNumber(a) && isNumber(b)) {
      if (a instanceof Double || b instanceof Double) return toDouble(a) + toDouble(b);
      if (a instanceof BigInteger || b instanceof BigInteger) return normInt(toBig(a).add(toBig(b)));
      long x = toLong(a);
      long y = toLong(b);
      long r = x + y;
      if (((x ^ r) & (y ^ r)) < 0) return normInt(toBig(a).add(toBig(b)));
      return r;
    }
    if (a instanceof PyTuple) {
      if (!(b instanceof PyTuple)) {
        throw TemplateException.typeError("can only concatenate tuple (not \"" + typeName(b) + "\") to tuple");
      }
      List<Object> r = new ArrayList<>((PyTuple) a);
      r.addAll((PyTuple) b);
      return PyTuple.copyOf(r);
    }
    if (a instanceof List && !(a instanceof PyRange)) {
      if (!(b instanceof List) || b instanceof PyTuple || b instanceof PyRange) {
        throw TemplateException.typeError("can only concatenate list (not \"" + typeName(b) + "\") to list");
      }
      in.account(((List<?>) a).size() + (long) ((List<?>) b).size());
      List<Object> r = new ArrayList<>((List<?>) a);
      r.addAll((List<?>) b);
      return r;
    }
    throw unsupported("+", a, b);
  }

  static Object sub(Object a, Object b) {
    undefinedCheck(a, b);
    if (isNumber(a) && isNumber(b)) {
      if (a instanceof Double || b instanceof Double) return toDouble(a) - toDouble(b);
      if (a instanceof BigInteger || b instanceof BigInteger) return normInt(toBig(a).subtract(toBig(b)));
      long x = toLong(a);
      long y = toLong(b);
      long r = x - y;
      if (((x ^ y) & (x ^ r)) < 0) return normInt(toBig(a).subtract(toBig(b)));
      return r;
    }
    throw unsupported("-", a, b);
  }

  static Object mul(Interpreter in, Object a, Object b) {
    undefinedCheck(a, b);
    if (isNumber(a) && isNumber(b)) {
      if (a instanceof Double || b instanceof Double) return toDouble(a) * toDouble(b);
      if (!(a instanceof BigInteger) && !(b instanceof BigInteger)) {
        long x = toLong(a);
        long y = toLong(b);
        long hi = Math.multiplyHigh(x, y);
        long lo = x * y;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) return lo;
      }
      BigInteger x = toBig(a);
      BigInteger y = toBig(b);
      checkIntBits((long) x.bitLength() + y.bitLength());
      return normInt(x.multiply(y));
    }
    if (isInt(b) && (a instanceof CharSequence || a instanceof List)) return repeat(in, a, repeatCount(b));
    if (isInt(a) && (b instanceof CharSequence || b instanceof List)) return repeat(in, b, repeatCount(a));
    if (a instanceof CharSequence || a instanceof List) {
      throw TemplateException.typeError("can't multiply sequence by non-int of type '" + typeName(b) + "'");
    }
    throw unsupported("*", a, b);
  }

  private static long repeatCount(Object n) {
    if (n instanceof BigInteger && ((BigInteger) n).bitLength() >= 64) {
      throw new TemplateException("OverflowError", "cannot fit 'int' into an index-sized integer");
    }
    return toLong(n);
  }

  private static Object repeat(Interpreter in, Object seq, long n) {
    if (n <= 0) {
      if (seq instanceof PyTuple) return PyTuple.EMPTY;
      return seq instanceof CharSequence ? "" : new ArrayList<>();
    }
    if (seq instanceof CharSequence) {
      String s = seq.toString();
      in.account(saturatedProduct(s.length(), n));
      return s.repeat((int) n);
    }
    List<?> l = (List<?>) seq;
    in.account(saturatedProduct(l.size(), n));
    List<Object> r = new ArrayList<>((int) (l.size() * n));
    for (long i = 0; i < n; i++) r.addAll(l);
    return seq instanceof PyTuple ? PyTuple.copyOf(r) : r;
  }

  /** {@code a * b} for non-negative counts, or {@code Long.MAX_VALUE} when that overflows. */
  static long saturatedProduct(long a, long b) {
    return Math.multiplyHigh(a, b) != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
  }

  /** The largest int a render may build: far past any int a chat template uses, small enough to stay fast. */
  static final long MAX_INT_BITS = 1L << 20;

  private static void checkIntBits(long bits) {
    if (bits > MAX_INT_BITS) {
      throw new TemplateException("SecurityError", "render stopped: an integer would grow past " + MAX_INT_BITS
          + " bits");
    }
  }

  static Object div(Object a, Object b) {
    undefinedCheck(a, b);
    if (isNumber(a) && isNumber(b)) {
      double y = toDouble(b);
      if (y == 0) throw new TemplateException("ZeroDivisionError", "division by zero");
      return toDouble(a) / y;
    }
    throw unsupported("/", a, b);
  }

  static Object floordiv(Object a, Object b) {
    undefinedCheck(a, b);
    if (isNumber(a) && isNumber(b)) {
      if (a instanceof Double || b instanceof Double) {
        double y = toDouble(b);
        if (y == 0) throw new TemplateException("ZeroDivisionError", "float floor division by zero");
        return Math.floor(toDouble(a) / y);
      }
      if (!(a instanceof BigInteger) && !(b instanceof BigInteger)) {
        long x = toLong(a);
        long y = toLong(b);
        if (y == 0) throw new TemplateException("ZeroDivisionError", "integer division or modulo by zero");
        if (x != Long.MIN_VALUE || y != -1) return Math.floorDiv(x, y);
      }
      BigInteger y = toBig(b);
      if (y.signum() == 0) throw new TemplateException("ZeroDivisionError", "integer division or modulo by zero");
      BigInteger[] qr = toBig(a).divideAndRemainder(y);
      BigInteger q = qr[0];
      if (qr[1].signum() != 0 && (qr[1].signum() != y.signum())) q = q.subtract(BigInteger.ONE);
      return normInt(q);
    }
    throw unsupported("//", a, b);
  }

  static Object mod(Interpreter in, Object a, Object b) {
    if (a instanceof CharSequence && !(a instanceof Undefined)) return in.built(a, PyFormat.percent(in, a.toString(), b));
    undefinedCheck(a, b);
    if (isNumber(a) && isNumber(b)) {
      if (a instanceof Double || b instanceof Double) {
        double x = toDouble(a);
        double y = toDouble(b);
        if (y == 0) throw new TemplateException("ZeroDivisionError", "float modulo");
        double r = x % y;
        if (r != 0 && (r < 0) != (y < 0)) r += y;
        return r;
      }
      if (!(a instanceof BigInteger) && !(b instanceof BigInteger)) {
        long y = toLong(b);
        if (y == 0) throw new TemplateException("ZeroDivisionError", "integer modulo by zero");
        return Math.floorMod(toLong(a), y); // Python's sign: that of the divisor
      }
      BigInteger y = toBig(b);
      if (y.signum() == 0) throw new TemplateException("ZeroDivisionError", "integer modulo by zero");
      BigInteger r = toBig(a).mod(y.abs());
      if (y.signum() < 0 && r.signum() != 0) r = r.add(y);
      return normInt(r);
    }
    throw unsupported("%", a, b);
  }

  static Object pow(Object a, Object b) {
    undefinedCheck(a, b);
    if (isNumber(a) && isNumber(b)) {
      if (a instanceof Double || b instanceof Double || toBig(b).signum() < 0) {
        double x = toDouble(a);
        double y = toDouble(b);
        if (x == 0 && y < 0) {
          throw new TemplateException("ZeroDivisionError", "0.0 cannot be raised to a negative power");
        }
        return Math.pow(x, y);
      }
      BigInteger base = toBig(a);
      BigInteger e = toBig(b);
      if (base.bitLength() <= 1 || e.signum() == 0) { // 0, 1, -1 or x**0
        if (e.signum() == 0) return 1L;
        return base.signum() >= 0 || !e.testBit(0) ? (Object) base.abs().longValue() : (Object) (-1L);
      }
      if (e.bitLength() >= 32) checkIntBits(Long.MAX_VALUE);
      checkIntBits(saturatedProduct(base.bitLength(), e.longValue()));
      return normInt(base.pow(e.intValue()));
    }
    throw unsupported("** or pow()", a, b);
  }

  static Object neg(Object a) {
    if (a instanceof Undefined) throw ((Undefined) a).error();
    if (a instanceof Double) return -(Double) a;
    if (a instanceof BigInteger) return normInt(((BigInteger) a).negate());
    if (isNumber(a)) {
      long x = toLong(a);
      if (x == Long.MIN_VALUE) return BigInteger.valueOf(x).negate();
      return -x;
    }
    throw TemplateException.typeError("bad operand type for unary -: '" + typeName(a) + "'");
  }

  static Object pos(Object a) {
    if (a instanceof Undefined) throw ((Undefined) a).error();
    if (a instanceof Boolean) return toLong(a);
    if (isNumber(a)) return a;
    throw TemplateException.typeError("bad operand type for unary +: '" + typeName(a) + "'");
  }

  // ---------------------------------------------------------------- membership, access, iteration

  static boolean contains(Object container, Object item) {
    if (container instanceof CharSequence) {
      if (item instanceof Undefined) throw ((Undefined) item).error();
      if (!(item instanceof CharSequence)) {
        throw TemplateException.typeError("'in <string>' requires string as left operand, not " + typeName(item));
      }
      return container.toString().contains(item.toString());
    }
    if (container instanceof Map) return findKey((Map<?, ?>) container, item) != NO_KEY;
    if (container instanceof DictView) return contains(((DictView) container).items, item);
    if (container instanceof Collection) {
      for (Object e : (Collection<?>) container) {
        if (eq(e, item)) return true;
      }
      return false;
    }
    if (container instanceof Undefined) return false;
    throw TemplateException.typeError("argument of type '" + typeName(container) + "' is not iterable");
  }

  /**
   * {@code obj.name} in jinja2's immutable sandbox: Python attribute first, then (for a dict) item. A real attribute
   * whose name starts with {@code _}, or a method that mutates a list or dict, is refused: the result is an
   * undefined that raises {@code SecurityError} when used.
   */
  static Object getattr(Object obj, String name) {
    boolean underscore = !name.isEmpty() && name.charAt(0) == '_';
    if (obj instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) obj;
      if (PyMethods.isDictMethod(name)) return PyMethods.dictMethod(m, name);
      if (underscore && PyAttributes.has(obj, name)) return Undefined.unsafe(obj, name);
      Object v = m.get(name);
      if (v != null || m.containsKey(name)) return v;
      return Undefined.attribute(obj, name);
    }
    if (underscore) {
      if (PyAttributes.has(obj, name)) return Undefined.unsafe(obj, name);
      if (obj instanceof Undefined) throw ((Undefined) obj).error();
      return Undefined.attribute(obj, name);
    }
    if (obj instanceof Namespace) {
      Map<String, Object> attrs = ((Namespace) obj).attrs;
      Object v = attrs.get(name);
      if (v != null || attrs.containsKey(name)) return v;
      return Undefined.attribute(obj, name);
    }
    if (obj instanceof HasAttributes) return ((HasAttributes) obj).attribute(name);
    if (obj instanceof Undefined) throw ((Undefined) obj).error();
    if (obj instanceof CharSequence || obj instanceof List) {
      Object method = PyMethods.method(obj, name);
      if (method != null) return method;
    }
    return Undefined.attribute(obj, name);
  }

  /** jinja2's {@code |attr(name)}: like {@link #getattr} but never an item of a dict. */
  static Object attributeOnly(Object obj, String name) {
    if (obj instanceof Undefined && !PyAttributes.has(obj, name) && name.startsWith("__")) {
      return Undefined.attribute(obj, name); // Undefined.__getattr__ raises AttributeError for dunder names
    }
    if (obj instanceof Map) {
      if (PyMethods.isDictMethod(name)) return PyMethods.dictMethod((Map<?, ?>) obj, name);
      if (!name.isEmpty() && name.charAt(0) == '_' && PyAttributes.has(obj, name)) return Undefined.unsafe(obj, name);
      return Undefined.attribute(obj, name);
    }
    return getattr(obj, name);
  }

  /** {@code obj[key]} in jinja2's sandbox: item first, then (for a string key) attribute. */
  static Object getitem(Object obj, Object key) {
    if (key instanceof Slice && !(obj instanceof Undefined)) return ((Slice) key).apply(obj);
    if (obj instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) obj;
      Object k = findKey(m, key);
      if (k != NO_KEY) return m.get(k);
      if (key instanceof String) return attributeOnly(obj, (String) key);
      return Undefined.attribute(obj, key);
    }
    if (obj instanceof Undefined) throw ((Undefined) obj).error();
    if (key instanceof Slice) return ((Slice) key).apply(obj);
    if (key instanceof BigInteger && (obj instanceof List || obj instanceof CharSequence)) {
      return Undefined.attribute(obj, key); // IndexError past 2**63, which the sandbox turns into undefined
    }
    if (obj instanceof List) {
      List<?> l = (List<?>) obj;
      if (isInt(key)) {
        long i = toLong(key);
        if (i < 0) i += l.size();
        if (i >= 0 && i < l.size()) return l.get((int) i);
        return Undefined.attribute(obj, key);
      }
    } else if (obj instanceof CharSequence) {
      if (isInt(key)) {
        String s = obj.toString();
        int n = PyStrings.cpLength(s);
        long i = toLong(key);
        if (i < 0) i += n;
        if (i >= 0 && i < n) return PyStrings.cpSubstring(s, (int) i, (int) i + 1);
        return Undefined.attribute(obj, key);
      }
    }
    if (key instanceof String) return getattr(obj, (String) key);
    return Undefined.attribute(obj, key);
  }

  static Iterable<?> iterate(Object v) {
    if (v instanceof List) return (List<?>) v;
    if (v instanceof Map) return ((Map<?, ?>) v).keySet();
    if (v instanceof String) return PyStrings.codePoints((String) v);
    if (v instanceof Markup) return PyStrings.codePoints(((Markup) v).text);
    if (v instanceof Undefined) return Collections.emptyList();
    if (v instanceof Collection) return (Collection<?>) v;
    if (v instanceof Iterable) return (Iterable<?>) v;
    throw TemplateException.typeError("'" + typeName(v) + "' object is not iterable");
  }

  static List<Object> toList(Object v) {
    List<Object> out = new ArrayList<>();
    for (Object e : iterate(v)) out.add(e);
    return out;
  }

  static int length(Object v) {
    if (v instanceof String) return PyStrings.cpLength((String) v);
    if (v instanceof Collection) return ((Collection<?>) v).size();
    if (v instanceof Map) return ((Map<?, ?>) v).size();
    if (v instanceof DictView) return ((DictView) v).size();
    if (v instanceof Markup) return PyStrings.cpLength(((Markup) v).text);
    if (v instanceof Undefined) return 0;
    throw TemplateException.typeError("object of type '" + typeName(v) + "' has no len()");
  }

  static Iterator<?> iterator(Object v) {
    return iterate(v).iterator();
  }
}
