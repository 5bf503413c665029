package io.sftprep.udfs;

import io.sftprep.core.json.Json;
import io.sftprep.core.json.JsonException;
import io.sftprep.core.pipeline.Reason;
import io.sftprep.core.pipeline.Rejected;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import scala.collection.Iterator;

/**
 * Spark values as the JSON value model core reads ({@link Json}): a struct becomes an object of its non-null
 * fields (a column absent from one message is null in a Spark struct, and absent is what the record meant),
 * arrays become lists, integral numbers {@code Long}, other numbers {@code Double}. A string holding JSON is
 * parsed.
 *
 * <pre>{@code
 * [Row(role=user, content=Hi, tool_calls=null)]   ->  [{role=user, content=Hi}]
 * "[{\"role\": \"user\", \"content\": \"Hi\"}]"   ->  [{role=user, content=Hi}]
 * }</pre>
 */
final class SparkValues {
  private SparkValues() {}

  /** A message list given as {@code array<struct<role, content, ...>>} or as a JSON string of one. */
  static List<Object> messages(Object value) throws Rejected {
    Object v = value;
    if (v instanceof String) {
      try {
        v = Json.parse((String) v);
      } catch (JsonException e) {
        throw new Rejected(Reason.INVALID_JSON, "messages: " + e.getMessage());
      }
      if (!(v instanceof List)) {
        throw new Rejected(Reason.BAD_FIELD, "messages given as a JSON string must hold an array, found a JSON "
            + Json.typeName(v));
      }
      @SuppressWarnings("unchecked")
      List<Object> list = (List<Object>) v;
      return list;
    }
    Object j = toJson(v);
    if (!(j instanceof List)) {
      throw new Rejected(Reason.BAD_FIELD, "messages must be an array of structs or a JSON string, found "
          + value.getClass().getSimpleName());
    }
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) j;
    return list;
  }

  static Object toJson(Object v) throws Rejected {
    if (v == null || v instanceof String || v instanceof Boolean) return v;
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Double || v instanceof Float) return ((Number) v).doubleValue();
    if (v instanceof BigDecimal) {
      BigDecimal d = (BigDecimal) v;
      return d.scale() <= 0 ? (Object) d.toBigIntegerExact() : (Object) d.doubleValue();
    }
    if (v instanceof Row) {
      Row r = (Row) v;
      if (r.schema() == null) throw new Rejected(Reason.BAD_FIELD, "a struct without field names");
      Map<String, Object> m = new LinkedHashMap<>();
      StructField[] fields = r.schema().fields();
      for (int i = 0; i < fields.length; i++) {
        if (!r.isNullAt(i)) m.put(fields[i].name(), toJson(r.get(i)));
      }
      return m;
    }
    if (v instanceof scala.collection.Map) {
      Map<String, Object> m = new LinkedHashMap<>();
      Iterator<?> it = ((scala.collection.Map<?, ?>) v).iterator();
      while (it.hasNext()) {
        scala.Tuple2<?, ?> kv = (scala.Tuple2<?, ?>) it.next();
        m.put(String.valueOf(kv._1()), toJson(kv._2()));
      }
      return m;
    }
    if (v instanceof scala.collection.Iterable) {
      List<Object> out = new ArrayList<>();
      Iterator<?> it = ((scala.collection.Iterable<?>) v).iterator();
      while (it.hasNext()) out.add(toJson(it.next()));
      return out;
    }
    if (v instanceof Map) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) m.put(String.valueOf(e.getKey()), toJson(e.getValue()));
      return m;
    }
    if (v instanceof Iterable) {
      List<Object> out = new ArrayList<>();
      for (Object o : (Iterable<?>) v) out.add(toJson(o));
      return out;
    }
    if (v instanceof byte[]) throw new Rejected(Reason.BAD_FIELD, "binary values are not text");
    return v.toString(); // dates and timestamps, as their ISO text
  }
}
