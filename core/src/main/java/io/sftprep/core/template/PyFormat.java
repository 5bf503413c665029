package io.sftprep.core.template;

import io.sftprep.core.json.PyNumbers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Python's two string formatting languages: {@code "%s" % x} and {@code "{}".format(x)}. */
final class PyFormat {
  private PyFormat() {}

  /** {@code fmt % args} (printf style). */
  static String percent(Interpreter in, String fmt, Object args) {
    List<?> tuple = args instanceof PyTuple ? (PyTuple) args : null;
    Map<?, ?> mapping = args instanceof Map ? (Map<?, ?>) args : null;
    int next = 0;
    StringBuilder sb = new StringBuilder();
    int n = fmt.length();
    boolean usedSingle = false;
    for (int i = 0; i < n; i++) {
      char c = fmt.charAt(i);
      if (c != '%') {
        sb.append(c);
        continue;
      }
      i++;
      if (i >= n) throw new TemplateException("ValueError", "incomplete format");
      Object value;
      String key = null;
      if (fmt.charAt(i) == '(') {
        int close = fmt.indexOf(')', i);
        if (close < 0) throw new TemplateException("ValueError", "incomplete format key");
        key = fmt.substring(i + 1, close);
        i = close + 1;
      }
      StringBuilder flags = new StringBuilder();
      while (i < n && "-+ #0".indexOf(fmt.charAt(i)) >= 0) flags.append(fmt.charAt(i++));
      int width = -1;
      int wStart = i;
      while (i < n && Character.isDigit(fmt.charAt(i))) i++;
      if (i > wStart) width = number(in, fmt.substring(wStart, i), "width too big");
      int prec = -1;
      if (i < n && fmt.charAt(i) == '.') {
        i++;
        int pStart = i;
        while (i < n && Character.isDigit(fmt.charAt(i))) i++;
        prec = i > pStart ? number(in, fmt.substring(pStart, i), "precision too big") : 0;
      }
      if (i >= n) throw new TemplateException("ValueError", "incomplete format");
      char conv = fmt.charAt(i);
      if (conv == '%') {
        sb.append('%');
        continue;
      }
      if (key != null) {
        if (mapping == null) throw TemplateException.typeError("format requires a mapping");
        Object v = Py.getitemOrMissing(mapping, key);
        if (v == Py.MISSING) throw new TemplateException("KeyError", Py.repr(key));
        value = v;
      } else if (tuple != null) {
        if (next >= tuple.size()) {
          throw TemplateException.typeError("not enough arguments for format string");
        }
        value = tuple.get(next++);
      } else {
        if (usedSingle) throw TemplateException.typeError("not enough arguments for format string");
        usedSingle = true;
        value = args;
      }
      String body = convert(value, conv, prec, flags.toString());
      sb.append(align(body, width, flags.indexOf("-") >= 0 ? '<' : '>', flags.indexOf("0") >= 0 && conv != 's'
          && conv != 'r'));
      in.checkSize(sb.length());
    }
    if (tuple != null && next < tuple.size()) {
      throw TemplateException.typeError("not all arguments converted during string formatting");
    }
    if (tuple == null && mapping == null && !usedSingle && !(args instanceof Undefined)) {
      throw TemplateException.typeError("not all arguments converted during string formatting");
    }
    return sb.toString();
  }

  private static String align(String body, int width, char align, boolean zero) {
    int len = PyStrings.cpLength(body);
    if (width <= len) return body;
    if (zero && align == '>') {
      int signLen = (!body.isEmpty() && (body.charAt(0) == '-' || body.charAt(0) == '+')) ? 1 : 0;
      return body.substring(0, signLen) + "0".repeat(width - len) + body.substring(signLen);
    }
    return align == '<' ? body + " ".repeat(width - len) : " ".repeat(width - len) + body;
  }

  private static String convert(Object v, char conv, int prec, String flags) {
    switch (conv) {
      case 's': {
        String s = Py.str(v);
        return prec >= 0 && prec < PyStrings.cpLength(s) ? PyStrings.cpSubstring(s, 0, prec) : s;
      }
      case 'r':
      case 'a':
        return Py.repr(v);
      case 'd':
      case 'i':
      case 'u': {
        if (!Py.isNumber(v)) {
          throw TemplateException.typeError("%" + conv + " format: a real number is required, not "
              + Py.typeName(v));
        }
        BigInteger b = v instanceof Double ? new BigDecimal((Double) v).toBigInteger() : Py.toBig(v);
        return sign(b.toString(), flags);
      }
      case 'x':
      case 'X':
      case 'o': {
        BigInteger b = Py.toBig(v);
        String s = b.abs().toString(conv == 'o' ? 8 : 16);
        if (conv == 'X') s = s.toUpperCase(Locale.ROOT);
        if (flags.indexOf('#') >= 0) s = (conv == 'o' ? "0o" : (conv == 'x' ? "0x" : "0X")) + s;
        return sign(b.signum() < 0 ? "-" + s : s, flags);
      }
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G':
        return sign(formatFloat(Py.toDouble(v), conv, prec < 0 ? 6 : prec, flags.indexOf('#') >= 0), flags);
      case 'c': {
        if (v instanceof CharSequence) {
          if (PyStrings.cpLength(v.toString()) != 1) throw TemplateException.typeError("%c requires int or char");
          return v.toString();
        }
        if (!(v instanceof Long || v instanceof Boolean || v instanceof BigInteger)) {
          throw TemplateException.typeError("%c requires int or char");
        }
        BigInteger cp = Py.toBig(v);
        if (cp.signum() < 0 || cp.compareTo(BigInteger.valueOf(Character.MAX_CODE_POINT)) > 0) {
          throw new TemplateException("OverflowError", "%c arg not in range(0x110000)");
        }
        return new String(Character.toChars(cp.intValue()));
      }
      default:
        throw new TemplateException("ValueError", "unsupported format character '" + conv + "'");
    }
  }

  private static String sign(String s, String flags) {
    if (s.startsWith("-")) return s;
    if (flags.indexOf('+') >= 0) return "+" + s;
    if (flags.indexOf(' ') >= 0) return " " + s;
    return s;
  }

  /** Python's {@code format(x, ".{prec}{conv}")} for f, e and g. */
  static String formatFloat(double d, char conv, int prec, boolean alt) {
    if (Double.isNaN(d)) return Character.isUpperCase(conv) ? "NAN" : "nan";
    if (Double.isInfinite(d)) {
      String s = d > 0 ? "inf" : "-inf";
      return Character.isUpperCase(conv) ? s.toUpperCase(Locale.ROOT) : s;
    }
    char lc = Character.toLowerCase(conv);
    String out;
    if (lc == 'f') {
      out = new BigDecimal(d).setScale(prec, RoundingMode.HALF_EVEN).toPlainString();
      if (d < 0 && !out.startsWith("-")) out = "-" + out; // -0.0
      if (alt && prec == 0) out += ".";
    } else if (lc == 'e') {
      out = sci(d, prec, alt);
    } else {
      int p = prec == 0 ? 1 : prec;
      if (d == 0) {
        out = (1 / d < 0 ? "-" : "") + (alt ? "0." + "0".repeat(p - 1) : "0");
      } else {
        BigDecimal r = new BigDecimal(d).round(new java.math.MathContext(p, RoundingMode.HALF_EVEN));
        int exp = r.precision() - r.scale() - 1;
        if (exp >= -4 && exp < p) {
          out = r.setScale(Math.max(0, p - 1 - exp), RoundingMode.HALF_EVEN).toPlainString();
          if (!alt && out.indexOf('.') >= 0) out = out.replaceAll("0+$", "").replaceAll("\\.$", "");
        } else {
          out = sci(d, p - 1, alt);
          if (!alt) {
            int e = out.indexOf('e');
            String mant = out.substring(0, e);
            if (mant.indexOf('.') >= 0) mant = mant.replaceAll("0+$", "").replaceAll("\\.$", "");
            out = mant + out.substring(e);
          }
        }
      }
    }
    return Character.isUpperCase(conv) ? out.toUpperCase(Locale.ROOT) : out;
  }

  private static String sci(double d, int prec, boolean alt) {
    if (d == 0) {
      return (1 / d < 0 ? "-" : "") + "0" + (prec > 0 ? "." + "0".repeat(prec) : (alt ? "." : "")) + "e+00";
    }
    BigDecimal r = new BigDecimal(d).round(new java.math.MathContext(prec + 1, RoundingMode.HALF_EVEN));
    int exp = r.precision() - r.scale() - 1;
    String digits = r.unscaledValue().abs().toString();
    while (digits.length() < prec + 1) digits += "0";
    digits = digits.substring(0, prec + 1);
    StringBuilder sb = new StringBuilder();
    if (d < 0) sb.append('-');
    sb.append(digits.charAt(0));
    if (prec > 0 || alt) sb.append('.');
    sb.append(digits, 1, digits.length());
    sb.append('e').append(exp < 0 ? '-' : '+');
    int a = Math.abs(exp);
    if (a < 10) sb.append('0');
    sb.append(a);
    return sb.toString();
  }

  /** {@code fmt.format(*args, **kwargs)}. */
  /**
   * {@code fmt.format(*args, **kwargs)} as jinja2's sandbox runs it: through Python's {@code string.Formatter}
   * (hence its messages) with every {@code .attr} and {@code [key]} looked up by the sandbox. {@code kwargs} is the
   * mapping named fields come from: a dict, or for {@code format_map} whatever the template passed.
   */
  static String format(Interpreter in, String fmt, List<Object> args, Object kwargs) {
    return format(in, fmt, args, kwargs, new int[] {0});
  }

  /** {@code auto[0]}: the next automatic field number, or -1 once a field was numbered by hand. */
  private static String format(Interpreter in, String fmt, List<Object> args, Object kwargs, int[] auto) {
    StringBuilder sb = new StringBuilder();
    int n = fmt.length();
    for (int i = 0; i < n; i++) {
      char c = fmt.charAt(i);
      if (c == '{') {
        if (i + 1 < n && fmt.charAt(i + 1) == '{') {
          sb.append('{');
          i++;
          continue;
        }
        int depth = 1;
        int j = i + 1;
        while (j < n && depth > 0) {
          if (fmt.charAt(j) == '{') depth++;
          else if (fmt.charAt(j) == '}') depth--;
          if (depth > 0) j++;
        }
        if (j >= n) throw new TemplateException("ValueError", "Single '{' encountered in format string");
        String field = fmt.substring(i + 1, j);
        i = j;
        String spec = "";
        String conversion = null;
        int colon = field.indexOf(':');
        if (colon >= 0) {
          spec = field.substring(colon + 1);
          field = field.substring(0, colon);
        }
        int bang = field.indexOf('!');
        if (bang >= 0) {
          conversion = field.substring(bang + 1);
          field = field.substring(0, bang);
        }
        int end = 0;
        while (end < field.length() && field.charAt(end) != '.' && field.charAt(end) != '[') end++;
        String head = field.substring(0, end);
        Object value;
        if (field.isEmpty()) {
          if (auto[0] < 0) throw switchError("manual field specification", "automatic field numbering");
          head = Integer.toString(auto[0]++);
        } else if (field.chars().allMatch(Character::isDigit)) {
          if (auto[0] > 0) throw switchError("manual field specification", "automatic field numbering");
          auto[0] = -1;
        }
        if (!head.isEmpty() && head.chars().allMatch(Character::isDigit)) {
          long idx = head.length() > 18 ? Long.MAX_VALUE : Long.parseLong(head);
          if (idx >= args.size()) throw new TemplateException("IndexError", "tuple index out of range");
          value = args.get((int) idx);
        } else {
          value = named(kwargs, head);
        }
        String rest = field.substring(end);
        while (!rest.isEmpty()) {
          if (rest.charAt(0) == '.') {
            int k = 1;
            while (k < rest.length() && rest.charAt(k) != '.' && rest.charAt(k) != '[') k++;
            value = Py.getattr(value, rest.substring(1, k));
            rest = rest.substring(k);
          } else {
            int close = rest.indexOf(']');
            String key = rest.substring(1, close);
            value = Py.getitem(value, key.chars().allMatch(Character::isDigit) && !key.isEmpty()
                ? (Object) Long.parseLong(key) : key);
            rest = rest.substring(close + 1);
          }
        }
        if ("r".equals(conversion)) value = Py.repr(value);
        else if ("s".equals(conversion)) value = Py.str(value);
        else if ("a".equals(conversion)) value = Py.ascii(Py.repr(value));
        else if (conversion != null) {
          throw new TemplateException("ValueError", "Unknown conversion specifier " + conversion);
        }
        if (spec.indexOf('{') >= 0) spec = format(in, spec, args, kwargs, auto);
        sb.append(formatSpec(in, value, spec));
        in.checkSize(sb.length());
      } else if (c == '}') {
        if (i + 1 < n && fmt.charAt(i + 1) == '}') {
          sb.append('}');
          i++;
        } else {
          throw new TemplateException("ValueError", "Single '}' encountered in format string");
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static TemplateException switchError(String from, String to) {
    return new TemplateException("ValueError", "cannot switch from " + from + " to " + to);
  }

  /** {@code kwargs[name]} for a named field. */
  private static Object named(Object kwargs, String name) {
    if (kwargs == null) throw new TemplateException("KeyError", Py.repr(name));
    if (kwargs instanceof Map) {
      Object v = Py.getitemOrMissing((Map<?, ?>) kwargs, name);
      if (v == Py.MISSING) throw new TemplateException("KeyError", Py.repr(name));
      return v;
    }
    if (kwargs instanceof List) {
      throw TemplateException.typeError(Py.typeName(kwargs) + " indices must be integers or slices, not str");
    }
    if (kwargs instanceof CharSequence) throw TemplateException.typeError("string indices must be integers, not 'str'");
    throw TemplateException.typeError("'" + Py.typeName(kwargs) + "' object is not subscriptable");
  }

  /** {@code format(value, spec)} with the standard format mini-language. */
  static String formatSpec(Interpreter in, Object value, String spec) {
    if (spec.isEmpty()) return Py.str(value);
    int i = 0;
    char fill = ' ';
    char align = 0;
    if (spec.length() >= 2 && "<>=^".indexOf(spec.charAt(1)) >= 0) {
      fill = spec.charAt(0);
      align = spec.charAt(1);
      i = 2;
    } else if ("<>=^".indexOf(spec.charAt(0)) >= 0) {
      align = spec.charAt(0);
      i = 1;
    }
    char sign = '-';
    if (i < spec.length() && "+- ".indexOf(spec.charAt(i)) >= 0) sign = spec.charAt(i++);
    boolean alt = false;
    if (i < spec.length() && spec.charAt(i) == '#') {
      alt = true;
      i++;
    }
    if (i < spec.length() && spec.charAt(i) == '0') {
      if (align == 0) {
        fill = '0';
        align = '=';
      }
      i++;
    }
    int ws = i;
    while (i < spec.length() && Character.isDigit(spec.charAt(i))) i++;
    int width = i > ws ? number(in, spec.substring(ws, i), "Too many decimal digits in format string") : 0;
    char group = 0;
    if (i < spec.length() && (spec.charAt(i) == ',' || spec.charAt(i) == '_')) group = spec.charAt(i++);
    int prec = -1;
    if (i < spec.length() && spec.charAt(i) == '.') {
      i++;
      int ps = i;
      while (i < spec.length() && Character.isDigit(spec.charAt(i))) i++;
      prec = number(in, spec.substring(ps, i), "Too many decimal digits in format string");
    }
    char type = i < spec.length() ? spec.charAt(i) : 0;
    String body;
    boolean numeric = Py.isNumber(value) && !(value instanceof Boolean && type == 0);
    if (value instanceof CharSequence || !numeric) {
      String s = Py.str(value);
      if (prec >= 0 && prec < PyStrings.cpLength(s)) s = PyStrings.cpSubstring(s, 0, prec);
      body = s;
      if (align == 0) align = '<';
    } else {
      boolean isFloat = value instanceof Double || "eEfFgG%".indexOf(type) >= 0 && type != 0;
      if (type == 0 && value instanceof Double) {
        body = prec >= 0 ? formatFloat((Double) value, 'g', prec, alt) : PyNumbers.floatRepr((Double) value);
      } else if (isFloat) {
        double d = Py.toDouble(value);
        if (type == '%') body = formatFloat(d * 100, 'f', prec < 0 ? 6 : prec, alt) + "%";
        else body = formatFloat(d, type, prec < 0 ? 6 : prec, alt);
      } else {
        BigInteger b = Py.toBig(value);
        int radix = type == 'x' || type == 'X' ? 16 : type == 'o' ? 8 : type == 'b' ? 2 : 10;
        String digits = b.abs().toString(radix);
        if (type == 'X') digits = digits.toUpperCase(Locale.ROOT);
        if (group != 0 && radix == 10) digits = groupDigits(digits, group);
        if (alt && radix != 10) digits = (radix == 16 ? "0" + type : radix == 8 ? "0o" : "0b") + digits;
        body = (b.signum() < 0 ? "-" : "") + digits;
      }
      if (!body.startsWith("-")) {
        if (sign == '+') body = "+" + body;
        else if (sign == ' ') body = " " + body;
      }
      if (align == 0) align = '>';
    }
    int len = PyStrings.cpLength(body);
    if (width <= len) return body;
    String pad = String.valueOf(fill).repeat(width - len);
    switch (align) {
      case '<':
        return body + pad;
      case '^': {
        int left = (width - len) / 2;
        return pad.substring(0, left) + body + pad.substring(left);
      }
      case '=': {
        int signLen = (!body.isEmpty() && "+- ".indexOf(body.charAt(0)) >= 0) ? 1 : 0;
        return body.substring(0, signLen) + pad + body.substring(signLen);
      }
      default:
        return pad + body;
    }
  }

  /**
   * A width or precision written in a format: Python's ValueError past C's int; stopped by the render's size limit
   * before it pads or formats that many characters.
   */
  private static int number(Interpreter in, String digits, String tooBig) {
    long v = 0;
    for (int k = 0; k < digits.length(); k++) {
      v = v * 10 + (digits.charAt(k) - '0');
      if (v > Integer.MAX_VALUE) throw new TemplateException("ValueError", tooBig);
    }
    in.checkSize(v);
    return (int) v;
  }

  private static String groupDigits(String digits, char sep) {
    StringBuilder sb = new StringBuilder();
    int first = digits.length() % 3;
    if (first == 0) first = 3;
    sb.append(digits, 0, Math.min(first, digits.length()));
    for (int k = first; k < digits.length(); k += 3) sb.append(sep).append(digits, k, k + 3);
    return sb.toString();
  }
}
