package io.sftprep.core.template;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits template source into tokens exactly as jinja2's lexer does with {@code trim_blocks=True} and
 * {@code lstrip_blocks=True}: newlines normalised to {@code \n}, one trailing newline dropped, {@code -} strips
 * whitespace on that side of a tag, {@code +} disables lstrip/trim, comments vanish, {@code raw} blocks stay text.
 */
final class Lexer {
  enum Type { DATA, VAR_BEGIN, VAR_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OP, EOF }

  static final class Token {
    final Type type;
    final String text; // operator, name, data or decoded string
    final Object value; // INTEGER / FLOAT value
    final int line;

    Token(Type type, String text, Object value, int line) {
      this.type = type;
      this.text = text;
      this.value = value;
      this.line = line;
    }

    boolean is(Type t, String s) {
      return type == t && text.equals(s);
    }

    boolean isName(String s) {
      return type == Type.NAME && text.equals(s);
    }

    boolean isOp(String s) {
      return type == Type.OP && text.equals(s);
    }

    @Override
    public String toString() {
      switch (type) {
        case EOF: return "end of template";
        case BLOCK_END: return "end of statement block";
        case VAR_END: return "end of print statement";
        case DATA: return "template data";
        default: return text;
      }
    }
  }

  private static final String[] OPERATORS = {
    "//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=",
    ".", ":", "|", ",", ";"
  };

  private final String src;
  private final List<Token> out = new ArrayList<>();
  private int pos;
  private int line = 1;
  private boolean lineStarting = true;

  private Lexer(String source) {
    String s = source.replace("\r\n", "\n").replace('\r', '\n');
    if (s.endsWith("\n")) s = s.substring(0, s.length() - 1);
    this.src = s;
  }

  static List<Token> tokenize(String source) {
    Lexer l = new Lexer(source);
    l.run();
    return l.out;
  }

  private TemplateException error(String msg) {
    return TemplateException.syntax(msg, line);
  }

  private void run() {
    int n = src.length();
    while (pos < n) {
      int tag = findTagStart(pos);
      if (tag < 0) {
        emitData(src.substring(pos));
        pos = n;
        break;
      }
      char kind = src.charAt(tag + 1); // '{', '%' or '#'
      char sign = tag + 2 < n ? src.charAt(tag + 2) : 0;
      if (sign != '-' && sign != '+') sign = 0;
      String text = src.substring(pos, tag);
      int rawEnd = kind == '%' ? matchRawBegin(tag) : -1;
      text = stripBefore(text, sign, kind != '{');
      emitData(text);
      line += countNewlines(src, pos, tag);
      pos = tag + 2 + (sign != 0 ? 1 : 0);
      if (rawEnd >= 0) {
        pos = rawEnd;
        lexRaw();
      } else if (kind == '#') {
        lexComment();
      } else if (kind == '%') {
        out.add(new Token(Type.BLOCK_BEGIN, "{%", null, line));
        lexTag(true);
      } else {
        out.add(new Token(Type.VAR_BEGIN, "{{", null, line));
        lexTag(false);
      }
    }
    out.add(new Token(Type.EOF, "", null, line));
  }

  private static int countNewlines(String s, int from, int to) {
    int c = 0;
    for (int i = from; i < to; i++) if (s.charAt(i) == '\n') c++;
    return c;
  }

  private int findTagStart(int from) {
    int i = from;
    while (true) {
      i = src.indexOf('{', i);
      if (i < 0 || i + 1 >= src.length()) return -1;
      char c = src.charAt(i + 1);
      if (c == '{' || c == '%' || c == '#') return i;
      i++;
    }
  }

  /** If a {@code raw} tag starts at {@code tag}, the position after it; otherwise -1. */
  private int matchRawBegin(int tag) {
    int i = tag + 2;
    if (i < src.length() && (src.charAt(i) == '-' || src.charAt(i) == '+')) i++;
    while (i < src.length() && Character.isWhitespace(src.charAt(i))) i++;
    if (!src.startsWith("raw", i)) return -1;
    i += 3;
    while (i < src.length() && Character.isWhitespace(src.charAt(i))) i++;
    if (src.startsWith("-%}", i)) {
      i += 3;
      while (i < src.length() && PyStrings.isSpace(src.charAt(i))) i++;
      return i;
    }
    if (src.startsWith("%}", i)) return i + 2;
    return -1;
  }

  /** Applies {@code -} (strip all) or lstrip_blocks (strip the tag's own line) to the text before a tag. */
  private String stripBefore(String text, char sign, boolean lstripApplies) {
    if (sign == '-') return PyStrings.strip(text, null, false, true);
    if (sign != '+' && lstripApplies) {
      int lpos = text.lastIndexOf('\n') + 1;
      if ((lpos > 0 || lineStarting) && lpos < text.length()) {
        boolean allSpace = true;
        for (int i = lpos; i < text.length(); i++) {
          if (!PyStrings.isSpace(text.charAt(i))) {
            allSpace = false;
            break;
          }
        }
        if (allSpace) return text.substring(0, lpos);
      }
    }
    return text;
  }

  private void emitData(String text) {
    if (!text.isEmpty()) out.add(new Token(Type.DATA, text, null, line));
  }

  private void lexComment() {
    int end = src.indexOf("#}", pos);
    if (end < 0) throw error("Missing end of comment tag");
    char before = end > pos ? src.charAt(end - 1) : 0;
    line += countNewlines(src, pos, end);
    int after = end + 2;
    after = afterTagEnd(after, before);
    line += countNewlines(src, end, after);
    pos = after;
  }

  /** Position after a tag end at {@code after}, given the sign char before it; sets lineStarting. */
  private int afterTagEnd(int after, char sign) {
    if (sign == '-') {
      while (after < src.length() && PyStrings.isSpace(src.charAt(after))) after++;
    } else if (sign != '+' && after < src.length() && src.charAt(after) == '\n') {
      after++;
    }
    lineStarting = after > 0 && src.charAt(after - 1) == '\n';
    return after;
  }

  private void lexRaw() {
    int i = pos;
    while (true) {
      int tag = src.indexOf("{%", i);
      if (tag < 0) throw error("Missing end of raw directive");
      int j = tag + 2;
      char sign = 0;
      if (j < src.length() && (src.charAt(j) == '-' || src.charAt(j) == '+')) sign = src.charAt(j++);
      while (j < src.length() && Character.isWhitespace(src.charAt(j))) j++;
      if (src.startsWith("endraw", j)) {
        j += 6;
        while (j < src.length() && Character.isWhitespace(src.charAt(j))) j++;
        char endSign = 0;
        if (j < src.length() && (src.charAt(j) == '-' || src.charAt(j) == '+')) endSign = src.charAt(j++);
        if (src.startsWith("%}", j)) {
          String text = stripBefore(src.substring(pos, tag), sign, true);
          emitData(text);
          line += countNewlines(src, pos, j);
          int after = afterTagEnd(j + 2, endSign);
          line += countNewlines(src, j, after);
          pos = after;
          return;
        }
      }
      i = tag + 2;
    }
  }

  private void lexTag(boolean block) {
    Deque<Character> balance = new ArrayDeque<>();
    int n = src.length();
    while (true) {
      if (pos >= n) throw error(block ? "unexpected end of template, expected 'end of statement block'"
          : "unexpected end of template, expected 'end of print statement'");
      if (balance.isEmpty()) {
        int end = matchTagEnd(block);
        if (end >= 0) return;
      }
      char c = src.charAt(pos);
      if (Character.isWhitespace(c) || PyStrings.isSpace(c)) {
        if (c == '\n') line++;
        pos++;
        continue;
      }
      if (Character.isDigit(c)) {
        lexNumber();
        continue;
      }
      if (Character.isLetter(c) || c == '_' || Character.isUnicodeIdentifierStart(c)) {
        int s = pos;
        pos++;
        while (pos < n && (Character.isUnicodeIdentifierPart(src.charAt(pos)) || src.charAt(pos) == '_')
            && !Character.isIdentifierIgnorable(src.charAt(pos))) pos++;
        out.add(new Token(Type.NAME, src.substring(s, pos), null, line));
        continue;
      }
      if (c == '\'' || c == '"') {
        lexString(c);
        continue;
      }
      String op = null;
      for (String o : OPERATORS) {
        if (src.startsWith(o, pos)) {
          op = o;
          break;
        }
      }
      if (op == null) throw error("unexpected char '" + c + "' at " + pos);
      if (op.equals("{") || op.equals("(") || op.equals("[")) {
        balance.push(op.equals("{") ? '}' : op.equals("(") ? ')' : ']');
      } else if (op.equals("}") || op.equals(")") || op.equals("]")) {
        if (balance.isEmpty()) throw error("unexpected '" + op + "'");
        char expected = balance.pop();
        if (expected != op.charAt(0)) throw error("unexpected '" + op + "', expected '" + expected + "'");
      }
      out.add(new Token(Type.OP, op, null, line));
      pos += op.length();
    }
  }

  /** Recognises the end of the current tag at pos; emits the end token and returns the new pos, or -1. */
  private int matchTagEnd(boolean block) {
    String close = block ? "%}" : "}}";
    char sign = 0;
    int at = pos;
    if ((src.charAt(pos) == '-' || (block && src.charAt(pos) == '+')) && src.startsWith(close, pos + 1)) {
      sign = src.charAt(pos);
      at = pos + 1;
    } else if (!src.startsWith(close, pos)) {
      return -1;
    }
    int after = at + 2;
    if (block) {
      after = afterTagEnd(after, sign);
    } else {
      if (sign == '-') {
        while (after < src.length() && PyStrings.isSpace(src.charAt(after))) after++;
      }
      lineStarting = src.charAt(after - 1) == '\n';
    }
    out.add(new Token(block ? Type.BLOCK_END : Type.VAR_END, close, null, line));
    line += countNewlines(src, pos, after);
    pos = after;
    return after;
  }

  private void lexNumber() {
    int n = src.length();
    int s = pos;
    // float: digits ( (.digits)? e[+-]?digits | .digits )
    int i = scanDigits(pos);
    int f = -1;
    if (i < n && src.charAt(i) == '.' && i + 1 < n && Character.isDigit(src.charAt(i + 1))) {
      int j = scanDigits(i + 1);
      int e = scanExponent(j);
      f = e >= 0 ? e : j;
    } else {
      int e = scanExponent(i);
      if (e >= 0) f = e;
    }
    if (f >= 0) {
      String txt = src.substring(s, f).replace("_", "");
      out.add(new Token(Type.FLOAT, txt, Double.parseDouble(txt), line));
      pos = f;
      return;
    }
    // integer with optional base prefix
    String txt;
    Object value;
    if (src.charAt(s) == '0' && s + 1 < n && "bBoOxX".indexOf(src.charAt(s + 1)) >= 0) {
      int radix = "bB".indexOf(src.charAt(s + 1)) >= 0 ? 2 : "oO".indexOf(src.charAt(s + 1)) >= 0 ? 8 : 16;
      int j = s + 2;
      while (j < n && (Character.digit(src.charAt(j), radix) >= 0 || src.charAt(j) == '_')) j++;
      txt = src.substring(s, j);
      value = Py.normInt(new java.math.BigInteger(txt.substring(2).replace("_", ""), radix));
      pos = j;
    } else {
      txt = src.substring(s, i);
      value = Py.normInt(new java.math.BigInteger(txt.replace("_", "")));
      pos = i;
    }
    out.add(new Token(Type.INTEGER, txt, value, line));
  }

  private int scanDigits(int i) {
    int n = src.length();
    while (i < n && (Character.isDigit(src.charAt(i))
        || (src.charAt(i) == '_' && i + 1 < n && Character.isDigit(src.charAt(i + 1))))) i++;
    return i;
  }

  private int scanExponent(int i) {
    int n = src.length();
    if (i < n && (src.charAt(i) == 'e' || src.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < n && (src.charAt(j) == '+' || src.charAt(j) == '-')) j++;
      if (j < n && Character.isDigit(src.charAt(j))) return scanDigits(j);
    }
    return -1;
  }

  private void lexString(char quote) {
    int n = src.length();
    int i = pos + 1;
    StringBuilder raw = new StringBuilder();
    while (true) {
      if (i >= n) throw error("unexpected char '" + quote + "' at " + pos);
      char c = src.charAt(i);
      if (c == '\\' && i + 1 < n) {
        raw.append(c).append(src.charAt(i + 1));
        i += 2;
        continue;
      }
      if (c == quote) break;
      raw.append(c);
      i++;
    }
    int startLine = line;
    line += countNewlines(src, pos, i);
    pos = i + 1;
    out.add(new Token(Type.STRING, unescape(raw.toString()), null, startLine));
  }

  /** Python's {@code unicode-escape} decoding of a string literal's body. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) return s;
    StringBuilder sb = new StringBuilder(s.length());
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= n) {
        sb.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case '\n': break;
        case '\\': sb.append('\\'); break;
        case '\'': sb.append('\''); break;
        case '"': sb.append('"'); break;
        case 'a': sb.append('\u0007'); break;
        case 'b': sb.append('\b'); break;
        case 'f': sb.append('\f'); break;
        case 'n': sb.append('\n'); break;
        case 'r': sb.append('\r'); break;
        case 't': sb.append('\t'); break;
        case 'v': sb.append('\u000b'); break;
        case 'x':
        case 'u':
        case 'U': {
          int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          if (i + len < n + 0 && i + len <= n - 1 + 1) {
            String hex = s.substring(i + 1, Math.min(n, i + 1 + len));
            if (hex.length() == len && hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
              long cp = Long.parseLong(hex, 16);
              if (cp > Character.MAX_CODE_POINT) {
                throw TemplateException.syntax("illegal Unicode character in string literal", 0);
              }
              sb.appendCodePoint((int) cp);
              i += len;
              break;
            }
          }
          throw TemplateException.syntax("truncated \\" + e + " escape in string literal", 0);
        }
        default:
          if (e >= '0' && e <= '7') {
            int j = i;
            int v = 0;
            while (j < n && j < i + 3 && s.charAt(j) >= '0' && s.charAt(j) <= '7') v = v * 8 + (s.charAt(j++) - '0');
            sb.append((char) v);
            i = j - 1;
          } else {
            sb.append('\\').append(e);
          }
      }
    }
    return sb.toString();
  }
}
