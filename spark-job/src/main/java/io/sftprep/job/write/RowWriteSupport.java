package io.sftprep.job.write;

import io.sftprep.core.pack.PackedRow;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes {@link PackedRow}s straight from their primitive arrays (no boxing, no Spark rows) in the sftprep shard
 * schema, version {@value #SCHEMA_VERSION}; lists use Parquet's standard three-level layout, which pyarrow, Spark
 * and parquet-hadoop readers all understand.
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

  private RecordConsumer out;

  @Override
  public WriteContext init(Configuration configuration) {
    Map<String, String> meta = new HashMap<>();
    meta.put("sftprep.schema_version", Integer.toString(SCHEMA_VERSION));
    return new WriteContext(SCHEMA, meta);
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.out = recordConsumer;
  }

  @Override
  public void write(PackedRow r) {
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
