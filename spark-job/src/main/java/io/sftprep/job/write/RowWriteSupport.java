package io.sftprep.job.write;

import io.sftprep.core.pack.PackedRow;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes {@link PackedRow}s straight from their primitive arrays (no boxing, no Spark rows) in the sftprep shard
 * schema, version {@value #SCHEMA_VERSION}; lists use Parquet's standard three-level layout, which pyarrow, Spark
 * and parquet-hadoop readers all understand.
 *
 * <p>Values go straight to the column writers of the record consumer parquet-hadoop hands over, with the
 * repetition and definition levels the consumer would compute (first element of a list {@code r=0}, the others
 * {@code r=1}, elements {@code d=1}, an empty list one null at {@code d=0}), then one {@code endRecord}: each
 * column receives the calls it would receive through {@code startGroup}/{@code startField}/{@code addInteger}, so
 * the file bytes are the same, at a fraction of the consumer's per-value bookkeeping. When the column store cannot
 * be reached (another parquet-mr, a wrapped consumer), rows go through the consumer's API.
 */
public final class RowWriteSupport extends WriteSupport<PackedRow> {
  public static final int SCHEMA_VERSION = 1;
  public static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
      "message sftprep_row {\n"
      + "  required group input_ids (LIST) { repeated group list { required int32 element; } }\n"
      + "  required group labels (LIST) { repeated group list { required int32 element; } }\n"
      + "  required group position_ids (LIST) { repeated group list { required int32 element; } }\n"
      + "  required group seq_lens (LIST) { repeated group list { required int32 element; } }\n"
      + "  required group sample_ids (LIST) { repeated group list { required int64 element; } }\n"
      + "  required group source_files (LIST) { repeated group list { required binary element (STRING); } }\n"
      + "  required group source_lines (LIST) { repeated group list { required int64 element; } }\n"
      + "  required int32 num_tokens;\n"
      + "  required int32 num_trained;\n"
      + "}");

  /** How rows reach the column writers. */
  enum Path { DIRECT, RECORD_CONSUMER }

  private final Path path;
  private RecordConsumer out;
  private ColumnWriteStore store; // null: through the record consumer
  private ColumnWriter[] columns;

  public RowWriteSupport() {
    this(Path.DIRECT);
  }

  RowWriteSupport(Path path) {
    this.path = path;
  }

  @Override
  public WriteContext init(Configuration configuration) {
    Map<String, String> meta = new HashMap<>();
    meta.put("sftprep.schema_version", Integer.toString(SCHEMA_VERSION));
    return new WriteContext(SCHEMA, meta);
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.out = recordConsumer;
    this.store = path == Path.DIRECT ? columnStore(recordConsumer) : null;
    if (store != null) {
      List<ColumnDescriptor> cols = SCHEMA.getColumns();
      columns = new ColumnWriter[cols.size()];
      for (int i = 0; i < columns.length; i++) columns[i] = store.getColumnWriter(cols.get(i));
    }
  }

  /** How rows are written since {@link #prepareForWrite}: straight to the column writers or through the consumer. */
  Path pathInUse() {
    return store != null ? Path.DIRECT : Path.RECORD_CONSUMER;
  }

  /** The column store behind parquet-mr's record consumer, or null when it is not the expected class. */
  static ColumnWriteStore columnStore(RecordConsumer consumer) {
    try {
      Field f = consumer.getClass().getDeclaredField("columns");
      if (!ColumnWriteStore.class.isAssignableFrom(f.getType())) return null;
      f.setAccessible(true);
      return (ColumnWriteStore) f.get(consumer);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public void write(PackedRow r) {
    if (store != null) {
      writeDirect(r);
      return;
    }
    out.startMessage();
    ints("input_ids", 0, r.inputIds());
    ints("labels", 1, r.labels());
    ints("position_ids", 2, r.positionIds());
    ints("seq_lens", 3, r.seqLens());
    longs("sample_ids", 4, r.sampleIds());
    strings("source_files", 5, r.sourceFiles());
    longs("source_lines", 6, r.sourceLines());
    out.startField("num_tokens", 7);
    out.addInteger(r.numTokens());
    out.endField("num_tokens", 7);
    out.startField("num_trained", 8);
    out.addInteger(r.numTrained());
    out.endField("num_trained", 8);
    out.endMessage();
  }

  private void writeDirect(PackedRow r) {
    ints(columns[0], r.inputIds());
    ints(columns[1], r.labels());
    ints(columns[2], r.positionIds());
    ints(columns[3], r.seqLens());
    longs(columns[4], r.sampleIds());
    strings(columns[5], r.sourceFiles());
    longs(columns[6], r.sourceLines());
    columns[7].write(r.numTokens(), 0, 0);
    columns[8].write(r.numTrained(), 0, 0);
    store.endRecord();
  }

  private static void ints(ColumnWriter w, int[] values) {
    if (values.length == 0) {
      w.writeNull(0, 0);
      return;
    }
    w.write(values[0], 0, 1);
    for (int i = 1; i < values.length; i++) w.write(values[i], 1, 1);
  }

  private static void longs(ColumnWriter w, long[] values) {
    if (values.length == 0) {
      w.writeNull(0, 0);
      return;
    }
    w.write(values[0], 0, 1);
    for (int i = 1; i < values.length; i++) w.write(values[i], 1, 1);
  }

  private static void strings(ColumnWriter w, String[] values) {
    if (values.length == 0) {
      w.writeNull(0, 0);
      return;
    }
    w.write(Binary.fromString(values[0]), 0, 1);
    for (int i = 1; i < values.length; i++) w.write(Binary.fromString(values[i]), 1, 1);
  }

  private void ints(String name, int index, int[] values) {
    out.startField(name, index);
    out.startGroup();
    if (values.length > 0) {
      out.startField("list", 0);
      for (int v : values) {
        out.startGroup();
        out.startField("element", 0);
        out.addInteger(v);
        out.endField("element", 0);
        out.endGroup();
      }
      out.endField("list", 0);
    }
    out.endGroup();
    out.endField(name, index);
  }

  private void longs(String name, int index, long[] values) {
    out.startField(name, index);
    out.startGroup();
    if (values.length > 0) {
      out.startField("list", 0);
      for (long v : values) {
        out.startGroup();
        out.startField("element", 0);
        out.addLong(v);
        out.endField("element", 0);
        out.endGroup();
      }
      out.endField("list", 0);
    }
    out.endGroup();
    out.endField(name, index);
  }

  private void strings(String name, int index, String[] values) {
    out.startField(name, index);
    out.startGroup();
    if (values.length > 0) {
      out.startField("list", 0);
      for (String v : values) {
        out.startGroup();
        out.startField("element", 0);
        out.addBinary(Binary.fromString(v));
        out.endField("element", 0);
        out.endGroup();
      }
      out.endField("list", 0);
    }
    out.endGroup();
    out.endField(name, index);
  }
}
