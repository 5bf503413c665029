package io.sftprep.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses JSON text into the plain value model that the rest of sftprep (and the template engine) works on,
 * with Python's {@code json.loads} semantics: objects become {@link LinkedHashMap} (key order kept, a repeated key
 * keeps its first position and its last value), arrays {@link ArrayList}, integers {@link Long} (or
 * {@link BigInteger} when they do not fit), other numbers {@link Double}, plus {@link String}, {@link Boolean} and
 * {@code null}. {@code NaN}, {@code Infinity} and {@code -Infinity} are accepted, as Python accepts them.
 *
 * <pre>{@code Json.parse("{\"a\": [1, 2.5, null]}")  ->  {a=[1, 2.5, null]} }</pre>
 */
public final class Json {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(1_000)
          .maxStringLength(Integer.MAX_VALUE)
          .maxNumberLength(10_000)
          .build())
      .build();

  private Json() {}

  /** Parses one JSON document; trailing non-whitespace is an error. */
  public static Object parse(String text) throws JsonException {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new JsonException("empty input: expected a JSON value");
      }
      Object value = read(p, first);
      JsonToken extra = p.nextToken();
      if (extra != null) {
        throw new JsonException("unexpected " + extra + " after the JSON value at column "
            + p.currentLocation().getColumnNr());
      }
      return value;
    } catch (JsonParseException e) {
      throw new JsonException(e.getOriginalMessage() + " at column " + e.getLocation().getColumnNr());
    } catch (IOException e) {
      throw new JsonException(e.getMessage());
    } catch (RuntimeException e) { // constraints violations and the like
      throw new JsonException(String.valueOf(e.getMessage()));
    }
  }

  /** Parses a JSON document whose top level must be an object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) throws JsonException {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new JsonException("expected a JSON object, found " + typeName(v));
    }
    return (Map<String, Object>) v;
  }

  /** Receives the records of a {@code .json} file one by one. */
  public interface RecordSink {
    void record(int index, Object value);
  }

  /**
   * Reads a whole {@code .json} document: a top-level array gives one record per element (index from 0), anything
   * else is one record. Stops with a {@link JsonException} naming the element at which the text broke; the
   * records before it have been delivered.
   */
  public static int parseDocument(java.io.InputStream in, RecordSink sink) throws JsonException, IOException {
    int index = 0;
    try (JsonParser p = FACTORY.createParser(in)) {
      JsonToken first = p.nextToken();
      if (first == null) return 0;
      if (first != JsonToken.START_ARRAY) {
        sink.record(0, read(p, first));
        if (p.nextToken() != null) throw new JsonException("unexpected data after the JSON value");
        return 1;
      }
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) throw new JsonException("the array is not closed (after element " + index + ")");
        sink.record(index, read(p, t));
        index++;
      }
      return index;
    } catch (JsonParseException e) {
      throw new JsonException("element " + index + ": " + e.getOriginalMessage() + " at line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
    } catch (RuntimeException e) {
      throw new JsonException("element " + index + ": " + e.getMessage());
    }
  }

  private static Object read(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> m = new LinkedHashMap<>();
        JsonToken k;
        while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          m.put(name, read(p, p.nextToken()));
        }
        return m;
      }
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
          l.add(read(p, e));
        }
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
          case LONG:
            return p.getLongValue();
          default:
            return p.getBigIntegerValue();
        }
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new JsonParseException(p, "unexpected token " + t);
    }
  }

  /** Python-ish name of a JSON value's type, for error messages. */
  public static String typeName(Object v) {
    if (v == null) return "null";
    if (v instanceof Map) return "object";
    if (v instanceof List) return "array";
    if (v instanceof String) return "string";
    if (v instanceof Boolean) return "boolean";
    if (v instanceof Number) return "number";
    return v.getClass().getSimpleName();
  }
}
