package io.sftprep.core.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes the plain value model as JSON exactly as Python's {@code json.dumps} does, including its defaults for
 * separators ({@code ", "} and {@code ": "}, or {@code ","} between items once an indent is given), its float
 * forms ({@code NaN}, {@code Infinity}) and its escapes. {@code ensureAscii=false} keeps non-ASCII text as it is
 * (what transformers' {@code tojson} does); {@code true} writes {@code \\uXXXX} escapes.
 */
public final class JsonWriter {
  /** Thrown for a value JSON cannot hold; the message is Python's. */
  public static final class NotSerializableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotSerializableException(String message) {
      super(message);
    }
  }

  /** Thrown once the text grows past {@link #limitedTo}'s bound (a value nested into itself many times over). */
  public static final class TooLongException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long length;

    TooLongException(long length) {
      super("JSON text longer than " + length + " characters", null, false, false);
      this.length = length;
    }

    public long length() {
      return length;
    }
  }

  private final String indent; // null = compact
  private final String itemSeparator;
  private final String keySeparator;
  private final boolean sortKeys;
  private final boolean ensureAscii;
  private final Function<Object, String> typeName;
  private final long maxChars;

  private JsonWriter(String indent, String itemSeparator, String keySeparator, boolean sortKeys,
      boolean ensureAscii, Function<Object, String> typeName, long maxChars) {
    this.indent = indent;
    this.itemSeparator = itemSeparator;
    this.keySeparator = keySeparator;
    this.sortKeys = sortKeys;
    this.ensureAscii = ensureAscii;
    this.typeName = typeName;
    this.maxChars = maxChars;
  }

  /** This writer, stopping with {@link TooLongException} once the text passes {@code maxChars}. */
  public JsonWriter limitedTo(long maxChars) {
    return new JsonWriter(indent, itemSeparator, keySeparator, sortKeys, ensureAscii, typeName, maxChars);
  }

  /** {@code json.dumps(value, ensure_ascii=False)} with compact single-line output. */
  public static String compact(Object value) {
    return python(null, null, null, false, false, v -> v == null ? "NoneType" : v.getClass().getSimpleName())
        .write(value);
  }

  /** {@code json.dumps(value, separators=(",", ":"), ensure_ascii=False)}: the densest form, one line. */
  public static String dense(Object value) {
    return python(null, ",", ":", false, false, v -> v == null ? "NoneType" : v.getClass().getSimpleName())
        .write(value);
  }

  /**
   * A writer with Python's parameters; {@code indent} null means one line, otherwise the per-level indent text;
   * null separators mean Python's defaults for that indent.
   */
  public static JsonWriter python(String indent, String itemSeparator, String keySeparator, boolean sortKeys,
      boolean ensureAscii, Function<Object, String> typeName) {
    String item = itemSeparator != null ? itemSeparator : (indent == null ? ", " : ",");
    String key = keySeparator != null ? keySeparator : ": ";
    return new JsonWriter(indent, item, key, sortKeys, ensureAscii, typeName, Long.MAX_VALUE);
  }

  public String write(Object value) {
    StringBuilder sb = new StringBuilder(256);
    write(sb, value, 0);
    return sb.toString();
  }

  private void write(StringBuilder sb, Object v, int level) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof CharSequence) {
      quote(sb, v.toString(), ensureAscii);
    } else if (v instanceof Boolean) {
      sb.append(((Boolean) v) ? "true" : "false");
    } else if (v instanceof Long || v instanceof Integer || v instanceof BigInteger || v instanceof Short) {
      sb.append(v.toString());
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d)) sb.append("NaN");
      else if (Double.isInfinite(d)) sb.append(d > 0 ? "Infinity" : "-Infinity");
      else sb.append(PyNumbers.floatRepr(d));
    } else if (v instanceof Map) {
      writeMap(sb, (Map<?, ?>) v, level);
    } else if (v instanceof Collection) {
      writeList(sb, (Collection<?>) v, level);
    } else {
      throw new NotSerializableException("Object of type " + typeName.apply(v) + " is not JSON serializable");
    }
  }

  private void newline(StringBuilder sb, int level) {
    sb.append('\n');
    for (int i = 0; i < level; i++) sb.append(indent);
  }

  private void writeList(StringBuilder sb, Collection<?> list, int level) {
    if (list.isEmpty()) {
      sb.append("[]");
      return;
    }
    sb.append('[');
    boolean first = true;
    for (Object e : list) {
      if (sb.length() > maxChars) throw new TooLongException(sb.length());
      if (!first) sb.append(itemSeparator);
      if (indent != null) newline(sb, level + 1);
      write(sb, e, level + 1);
      first = false;
    }
    if (indent != null) newline(sb, level);
    sb.append(']');
  }

  private void writeMap(StringBuilder sb, Map<?, ?> map, int level) {
    if (map.isEmpty()) {
      sb.append("{}");
      return;
    }
    List<Map.Entry<String, Object>> entries = new ArrayList<>(map.size());
    for (Map.Entry<?, ?> e : map.entrySet()) {
      entries.add(Map.entry(keyText(e.getKey()), e.getValue() == null ? NULL : e.getValue()));
    }
    if (sortKeys) entries.sort(Map.Entry.comparingByKey());
    sb.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> e : entries) {
      if (sb.length() > maxChars) throw new TooLongException(sb.length());
      if (!first) sb.append(itemSeparator);
      if (indent != null) newline(sb, level + 1);
      quote(sb, e.getKey(), ensureAscii);
      sb.append(keySeparator);
      write(sb, e.getValue() == NULL ? null : e.getValue(), level + 1);
      first = false;
    }
    if (indent != null) newline(sb, level);
    sb.append('}');
  }

  private static final Object NULL = new Object();

  private String keyText(Object k) {
    if (k instanceof CharSequence) return k.toString();
    if (k == null) return "null";
    if (k instanceof Boolean) return ((Boolean) k) ? "true" : "false";
    if (k instanceof Double || k instanceof Float) {
      double d = ((Number) k).doubleValue();
      if (Double.isNaN(d)) return "NaN";
      if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
      return PyNumbers.floatRepr(d);
    }
    if (k instanceof Number) return k.toString();
    throw new NotSerializableException("keys must be str, int, float, bool or None, not " + typeName.apply(k));
  }

  /** Appends {@code s} as a JSON string literal with Python's escapes. */
  public static void quote(StringBuilder sb, String s, boolean ensureAscii) {
    sb.append('"');
    int n = s.length();
    int plain = 0; // start of the run of characters that need no escape
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && (c <= 0x7e || !ensureAscii)) continue;
      sb.append(s, plain, i);
      plain = i + 1;
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        case '\b': sb.append("\\b"); break;
        case '\f': sb.append("\\f"); break;
        default:
          sb.append("\\u");
          String hex = Integer.toHexString(c);
          for (int k = hex.length(); k < 4; k++) sb.append('0');
          sb.append(hex);
      }
    }
    sb.append(s, plain, n);
    sb.append('"');
  }

}
