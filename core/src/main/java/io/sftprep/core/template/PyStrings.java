package io.sftprep.core.template;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.RandomAccess;

/** Python's {@code str} methods, by code point, with Python's notion of whitespace and case. */
final class PyStrings {
  private PyStrings() {}

  static boolean hasSurrogates(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) return true;
    }
    return false;
  }

  static int cpLength(String s) {
    return hasSurrogates(s) ? s.codePointCount(0, s.length()) : s.length();
  }

  static String cpSubstring(String s, int from, int to) {
    if (!hasSurrogates(s)) return s.substring(from, to);
    int a = s.offsetByCodePoints(0, from);
    int b = s.offsetByCodePoints(a, to - from);
    return s.substring(a, b);
  }

  /** The characters of a string as one-character strings, as Python iterates them. */
  static List<Object> codePoints(String s) {
    if (!hasSurrogates(s)) {
      final class Chars extends AbstractList<Object> implements RandomAccess {
        @Override
        public Object get(int i) {
          return String.valueOf(s.charAt(i));
        }

        @Override
        public int size() {
          return s.length();
        }
      }
      return new Chars();
    }
    List<Object> out = new ArrayList<>();
    s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
    return out;
  }

  /** Python's {@code str.isspace()} for one code point. */
  static boolean isSpace(int c) {
    switch (c) {
      case '\t': case '\n': case 0x0b: case 0x0c: case '\r': case 0x1c: case 0x1d: case 0x1e: case 0x1f:
      case ' ': case 0x85: case 0xa0: case 0x1680: case 0x2028: case 0x2029: case 0x202f: case 0x205f:
      case 0x3000:
        return true;
      default:
        return c >= 0x2000 && c <= 0x200a;
    }
  }

  static String strip(String s, String chars, boolean left, boolean right) {
    int start = 0;
    int end = s.length();
    if (chars == null) {
      while (left && start < end && isSpace(s.charAt(start))) start++;
      while (right && end > start && isSpace(s.charAt(end - 1))) end--;
    } else {
      while (left && start < end) {
        int cp = s.codePointAt(start);
        if (chars.indexOf(cp) < 0) break;
        start += Character.charCount(cp);
      }
      while (right && end > start) {
        int cp = s.codePointBefore(end);
        if (chars.indexOf(cp) < 0) break;
        end -= Character.charCount(cp);
      }
    }
    return (start == 0 && end == s.length()) ? s : s.substring(start, end);
  }

  static List<Object> split(String s, String sep, long maxsplit) {
    List<Object> out = new ArrayList<>();
    if (sep == null) {
      int i = 0;
      int n = s.length();
      while (true) {
        while (i < n && isSpace(s.charAt(i))) i++;
        if (i >= n) break;
        if (maxsplit >= 0 && out.size() >= maxsplit) {
          int end = n;
          while (end > i && isSpace(s.charAt(end - 1))) end--;
          out.add(s.substring(i, end));
          break;
        }
        int j = i;
        while (j < n && !isSpace(s.charAt(j))) j++;
        out.add(s.substring(i, j));
        i = j;
      }
      return out;
    }
    if (sep.isEmpty()) throw new TemplateException("ValueError", "empty separator");
    int i = 0;
    while (maxsplit < 0 || out.size() < maxsplit) {
      int j = s.indexOf(sep, i);
      if (j < 0) break;
      out.add(s.substring(i, j));
      i = j + sep.length();
    }
    out.add(s.substring(i));
    return out;
  }

  static List<Object> rsplit(String s, String sep, long maxsplit) {
    if (maxsplit < 0) return split(s, sep, -1);
    List<Object> out = new ArrayList<>();
    if (sep == null) {
      int end = s.length();
      while (true) {
        while (end > 0 && isSpace(s.charAt(end - 1))) end--;
        if (end <= 0) break;
        if (out.size() >= maxsplit) {
          int st = 0;
          while (st < end && isSpace(s.charAt(st))) st++;
          out.add(s.substring(st, end));
          break;
        }
        int j = end;
        while (j > 0 && !isSpace(s.charAt(j - 1))) j--;
        out.add(s.substring(j, end));
        end = j;
      }
    } else {
      if (sep.isEmpty()) throw new TemplateException("ValueError", "empty separator");
      int end = s.length();
      while (out.size() < maxsplit) {
        int j = s.lastIndexOf(sep, end - sep.length());
        if (j < 0) break;
        out.add(s.substring(j + sep.length(), end));
        end = j;
      }
      out.add(s.substring(0, end));
    }
    java.util.Collections.reverse(out);
    return out;
  }

  static List<Object> splitlines(String s, boolean keepends) {
    List<Object> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    int start = 0;
    while (i < n) {
      char c = s.charAt(i);
      int eol = -1;
      if (c == '\r') eol = (i + 1 < n && s.charAt(i + 1) == '\n') ? 2 : 1;
      else if (c == '\n' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d || c == 0x1e || c == 0x85
          || c == 0x2028 || c == 0x2029) eol = 1;
      if (eol > 0) {
        out.add(s.substring(start, keepends ? i + eol : i));
        i += eol;
        start = i;
      } else {
        i++;
      }
    }
    if (start < n) out.add(s.substring(start));
    return out;
  }

  static String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private static boolean isCased(int cp) {
    return Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
  }

  static String title(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean prevCased = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (prevCased) sb.append(new String(Character.toChars(cp)).toLowerCase(Locale.ROOT));
      else appendTitle(sb, cp);
      prevCased = isCased(cp);
    }
    return sb.toString();
  }

  private static void appendTitle(StringBuilder sb, int cp) {
    int t = Character.toTitleCase(cp);
    if (t != cp || !Character.isLowerCase(cp)) {
      sb.appendCodePoint(t);
    } else {
      sb.append(new String(Character.toChars(cp)).toUpperCase(Locale.ROOT));
    }
  }

  static String capitalize(String s) {
    if (s.isEmpty()) return s;
    int cp = s.codePointAt(0);
    StringBuilder sb = new StringBuilder(s.length());
    appendTitle(sb, cp);
    sb.append(s.substring(Character.charCount(cp)).toLowerCase(Locale.ROOT));
    return sb.toString();
  }

  static String swapcase(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      String c = new String(Character.toChars(cp));
      if (Character.isUpperCase(cp)) sb.append(c.toLowerCase(Locale.ROOT));
      else if (Character.isLowerCase(cp)) sb.append(c.toUpperCase(Locale.ROOT));
      else sb.append(c);
    });
    return sb.toString();
  }

  static String replace(Interpreter in, String s, String old, String neu, long count) {
    if (count == 0) return s;
    long n = count(s, old);
    if (count > 0) n = Math.min(n, count);
    in.checkSize(s.length() + Py.saturatedProduct(n, neu.length()) - n * old.length());
    if (old.isEmpty()) {
      StringBuilder sb = new StringBuilder();
      long done = 0;
      int i = 0;
      for (; i < s.length() && (count < 0 || done < count); ) {
        sb.append(neu);
        done++;
        int cp = s.codePointAt(i);
        sb.appendCodePoint(cp);
        i += Character.charCount(cp);
      }
      if (i < s.length()) sb.append(s, i, s.length());
      else if (count < 0 || done < count) sb.append(neu);
      return sb.toString();
    }
    if (count < 0) return s.replace(old, neu);
    StringBuilder sb = new StringBuilder();
    int i = 0;
    long done = 0;
    while (done < count) {
      int j = s.indexOf(old, i);
      if (j < 0) break;
      sb.append(s, i, j).append(neu);
      i = j + old.length();
      done++;
    }
    sb.append(s, i, s.length());
    return sb.toString();
  }

  static boolean isDigitStr(String s) {
    if (s.isEmpty()) return false;
    return s.codePoints().allMatch(Character::isDigit);
  }

  static boolean isAlphaStr(String s) {
    if (s.isEmpty()) return false;
    return s.codePoints().allMatch(Character::isLetter);
  }

  static boolean isAlnumStr(String s) {
    if (s.isEmpty()) return false;
    return s.codePoints().allMatch(Character::isLetterOrDigit);
  }

  static boolean isSpaceStr(String s) {
    if (s.isEmpty()) return false;
    return s.codePoints().allMatch(PyStrings::isSpace);
  }

  static boolean isUpperStr(String s) {
    boolean cased = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLowerCase(cp) || Character.isTitleCase(cp)) return false;
      if (Character.isUpperCase(cp)) cased = true;
    }
    return cased;
  }

  static boolean isLowerStr(String s) {
    boolean cased = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isUpperCase(cp) || Character.isTitleCase(cp)) return false;
      if (Character.isLowerCase(cp)) cased = true;
    }
    return cased;
  }

  /** Python's {@code str.find} / {@code rfind} in code points (-1 when absent). */
  static long find(String s, String sub, boolean fromRight) {
    int j = fromRight ? s.lastIndexOf(sub) : s.indexOf(sub);
    if (j < 0) return -1;
    return hasSurrogates(s) ? s.codePointCount(0, j) : j;
  }

  static long count(String s, String sub) {
    if (sub.isEmpty()) return cpLength(s) + 1L;
    long n = 0;
    int i = 0;
    while ((i = s.indexOf(sub, i)) >= 0) {
      n++;
      i += sub.length();
    }
    return n;
  }

  static String pad(Interpreter in, String s, long width, String fill, char align) {
    int len = cpLength(s);
    if (width <= len) return s;
    in.checkSize(s.length() + Py.saturatedProduct(width - len, fill.length()));
    int total = (int) (width - len);
    int left;
    switch (align) {
      case '<': left = 0; break;
      case '>': left = total; break;
      default: left = total / 2 + (total & (int) width & 1); // CPython's centering rule
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < left; i++) sb.append(fill);
    sb.append(s);
    for (int i = 0; i < total - left; i++) sb.append(fill);
    return sb.toString();
  }
}
