package io.sftprep.trainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes small sftprep outputs for tests without Spark: shards in the job's exact schema (the same text as
 * spark-job's {@code RowWriteSupport.SCHEMA}; {@code ShardFileReaderTest} checks it against a shard the job wrote),
 * a manifest with the fields the reader uses, and {@code _LATEST}.
 */
public final class TestShards {
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

  /** A row as the job writes it. */
  public record Row(int[] inputIds, int[] labels, int[] positionIds, int[] seqLens, long[] sampleIds) {
    public int numTokens() {
      int n = 0;
      for (int l : seqLens) n += l;
      return n;
    }

    public int numTrained() {
      int n = 0;
      for (int i = 0; i < numTokens(); i++) if (labels[i] != -100) n++;
      return n;
    }
  }

  private TestShards() {}

  /**
   * A packed row of samples with these lengths; sample {@code s} has id {@code firstSampleId + s} and tokens
   * {@code 1000 * (id % 50) + k} (k = 0..len-1, kept small), the first token of each sample untrained, as the job
   * does.
   */
  public static Row row(long firstSampleId, int... seqLens) {
    int n = 0;
    for (int l : seqLens) n += l;
    int[] ids = new int[n];
    int[] labels = new int[n];
    int[] pos = new int[n];
    long[] sampleIds = new long[seqLens.length];
    int at = 0;
    for (int s = 0; s < seqLens.length; s++) {
      long id = firstSampleId + s;
      sampleIds[s] = id;
      for (int k = 0; k < seqLens[s]; k++) {
        ids[at] = (int) (1000 * (id % 50) + k);
        labels[at] = k == 0 ? -100 : ids[at];
        pos[at] = k;
        at++;
      }
    }
    return new Row(ids, labels, pos, seqLens.clone(), sampleIds);
  }

  /** {@code shards.size()} shard files of the given rows under {@code root/version}, published by {@code _LATEST}. */
  public static Path publish(Path root, String version, int seqLength, List<List<Row>> shards, long rowGroupBytes)
      throws IOException {
    Path dir = root.resolve(version);
    Files.createDirectories(dir.resolve("data"));
    StringBuilder entries = new StringBuilder();
    for (int s = 0; s < shards.size(); s++) {
      String file = String.format("data/part-%05d.parquet", s);
      write(dir.resolve(file), shards.get(s), rowGroupBytes);
      long tokens = shards.get(s).stream().mapToLong(Row::numTokens).sum();
      if (s > 0) entries.append(",\n");
      entries.append(String.format("{\"file\": \"%s\", \"rows\": %d, \"tokens\": %d, \"bytes\": %d, \"sha256\": \"\"}",
          file, shards.get(s).size(), tokens, Files.size(dir.resolve(file))));
    }
    String manifest = String.format("{\"schema_version\": 1, \"version\": \"%s\", \"tokenizer\": {\"pad_token_id\": 7},"
        + " \"packing\": {\"strategy\": \"bfd\", \"seq_length\": %d},\n \"shards\": [%s]}", version, seqLength, entries);
    Files.writeString(dir.resolve("_manifest.json"), manifest, StandardCharsets.UTF_8);
    Files.writeString(root.resolve("_LATEST"), version, StandardCharsets.UTF_8);
    return dir;
  }

  /** Rows of {@code perShard[s]} rows each; sample ids count up from 1 across the whole output. */
  public static List<List<Row>> rows(int[] perShard, int samplesPerRow, int sampleLen) {
    List<List<Row>> shards = new ArrayList<>();
    long id = 1;
    for (int count : perShard) {
      List<Row> rows = new ArrayList<>();
      for (int r = 0; r < count; r++) {
        int[] lens = new int[samplesPerRow];
        for (int k = 0; k < samplesPerRow; k++) lens[k] = sampleLen + (int) ((id + k) % 3);
        rows.add(row(id, lens));
        id += samplesPerRow;
      }
      shards.add(rows);
    }
    return shards;
  }

  public static void write(Path file, List<Row> rows, long rowGroupBytes) throws IOException {
    write(file, rows, rowGroupBytes, SCHEMA, Map.of("sftprep.schema_version", "1"));
  }

  public static void write(Path file, List<Row> rows, long rowGroupBytes, MessageType schema, Map<String, String> meta)
      throws IOException {
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file.toUri());
    p.getFileSystem(conf).setWriteChecksum(false);
    try (ParquetWriter<Row> w = new Builder(HadoopOutputFile.fromPath(p, conf), schema, meta)
        .withConf(conf)
        .withCompressionCodec(CompressionCodecName.ZSTD)
        .withRowGroupSize(rowGroupBytes)
        .withPageSize(1024)
        .withMinRowCountForPageSizeCheck(1)
        .withMaxRowCountForPageSizeCheck(1)
        .withDictionaryEncoding(false)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build()) {
      for (Row r : rows) w.write(r);
    }
  }

  private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
    private final MessageType schema;
    private final Map<String, String> meta;

    Builder(OutputFile file, MessageType schema, Map<String, String> meta) {
      super(file);
      this.schema = schema;
      this.meta = meta;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Row> getWriteSupport(Configuration conf) {
      return new RowSupport(schema, meta);
    }
  }

  private static final class RowSupport extends WriteSupport<Row> {
    private final MessageType schema;
    private final Map<String, String> meta;
    private RecordConsumer out;

    RowSupport(MessageType schema, Map<String, String> meta) {
      this.schema = schema;
      this.meta = meta;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(schema, meta);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.out = recordConsumer;
    }

    @Override
    public void write(Row r) {
      out.startMessage();
      int i = 0;
      for (org.apache.parquet.schema.Type field : schema.getFields()) {
        String name = field.getName();
        out.startField(name, i);
        switch (name) {
          case "input_ids" -> ints(r.inputIds());
          case "labels" -> ints(r.labels());
          case "position_ids" -> ints(r.positionIds());
          case "seq_lens" -> ints(r.seqLens());
          case "sample_ids" -> longs(r.sampleIds());
          case "source_files" -> strings(r.sampleIds().length);
          case "source_lines" -> longs(r.sampleIds());
          case "num_tokens" -> out.addInteger(r.numTokens());
          case "num_trained" -> out.addInteger(r.numTrained());
          default -> throw new IllegalArgumentException(name);
        }
        out.endField(name, i);
        i++;
      }
      out.endMessage();
    }

    private void ints(int[] values) {
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
    }

    private void longs(long[] values) {
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
    }

    private void strings(int n) {
      out.startGroup();
      if (n > 0) {
        out.startField("list", 0);
        for (int k = 0; k < n; k++) {
          out.startGroup();
          out.startField("element", 0);
          out.addBinary(Binary.fromString("chat.jsonl"));
          out.endField("element", 0);
          out.endGroup();
        }
        out.endField("list", 0);
      }
      out.endGroup();
    }
  }
}
