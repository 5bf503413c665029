package io.sftprep.trainer.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * The columns of the shard schema (version {@value Published#SCHEMA_VERSION}) a trainer reads, checked against a
 * file's own schema. Lists must use Parquet's standard three-level layout, as the job writes them:
 * {@code required group input_ids (LIST) { repeated group list { required int32 element; } }}.
 * {@code source_files} and {@code source_lines} are not read.
 */
final class ShardSchema {
  static final String SCHEMA_VERSION_KEY = "sftprep.schema_version";
  static final List<String> INT_LISTS = List.of("input_ids", "labels", "position_ids", "seq_lens");
  static final String LONG_LIST = "sample_ids";
  static final List<String> INT_SCALARS = List.of("num_tokens", "num_trained");

  private ShardSchema() {}

  /** The projection to read: the columns above, in this order, exactly as the file declares them. */
  static MessageType projection(MessageType file, Map<String, String> keyValues, String where) {
    String version = keyValues.get(SCHEMA_VERSION_KEY);
    if (version == null || !version.equals(Integer.toString(Published.SCHEMA_VERSION))) {
      throw new IllegalArgumentException(String.format("%s: expected key-value metadata %s=%d, found %s",
          where, SCHEMA_VERSION_KEY, Published.SCHEMA_VERSION, version));
    }
    List<Type> fields = new ArrayList<>();
    for (String name : INT_LISTS) fields.add(list(file, name, PrimitiveTypeName.INT32, where));
    fields.add(list(file, LONG_LIST, PrimitiveTypeName.INT64, where));
    for (String name : INT_SCALARS) fields.add(scalar(file, name, where));
    return new MessageType(file.getName(), fields);
  }

  private static Type list(MessageType file, String name, PrimitiveTypeName element, String where) {
    Type t = field(file, name, where);
    boolean ok = !t.isPrimitive() && t.isRepetition(Type.Repetition.REQUIRED)
        && t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
        && t.asGroupType().getFieldCount() == 1;
    if (ok) {
      Type repeated = t.asGroupType().getType(0);
      ok = !repeated.isPrimitive() && repeated.isRepetition(Type.Repetition.REPEATED)
          && ((GroupType) repeated).getFieldCount() == 1;
      if (ok) {
        Type e = repeated.asGroupType().getType(0);
        ok = e.isPrimitive() && e.isRepetition(Type.Repetition.REQUIRED)
            && e.asPrimitiveType().getPrimitiveTypeName() == element;
      }
    }
    if (!ok) {
      throw new IllegalArgumentException(String.format(
          "%s: expected column %s as required group (LIST) { repeated group list { required %s element; } }, found %s",
          where, name, element.name().toLowerCase(java.util.Locale.ROOT), t.toString().strip()));
    }
    return t;
  }

  private static Type scalar(MessageType file, String name, String where) {
    Type t = field(file, name, where);
    if (!t.isPrimitive() || t.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.INT32
        || !t.isRepetition(Type.Repetition.REQUIRED)) {
      throw new IllegalArgumentException(String.format("%s: expected column %s as required int32, found %s",
          where, name, t.toString().strip()));
    }
    return t;
  }

  private static Type field(MessageType file, String name, String where) {
    if (!file.containsField(name)) {
      List<String> names = file.getFields().stream().map(Type::getName).toList();
      throw new IllegalArgumentException(
          String.format("%s: expected a column %s, found only %s", where, name, names));
    }
    return file.getType(name);
  }
}
