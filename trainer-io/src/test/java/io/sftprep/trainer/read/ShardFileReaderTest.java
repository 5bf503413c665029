package io.sftprep.trainer.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.trainer.JobOutput;
import io.sftprep.trainer.TestShards;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardFileReaderTest {
  private static final Configuration CONF = new Configuration();

  private static org.apache.hadoop.fs.Path jobShard(int shard) {
    return new org.apache.hadoop.fs.Path(
        JobOutput.root().resolve(JobOutput.VERSION).resolve(String.format("data/part-%05d.parquet", shard)).toUri());
  }

  private static List<ShardRow> readAll(org.apache.hadoop.fs.Path p, int shard) throws IOException {
    List<ShardRow> rows = new ArrayList<>();
    try (ShardFileReader r = ShardFileReader.open(p, shard, CONF)) {
      while (r.hasNext()) rows.add(r.next());
    }
    return rows;
  }

  /** Values as pyarrow reads them from the same file (part-00003 of the job output). */
  @Test
  void readsAJobShardAsPyarrowDoes() throws IOException {
    List<ShardRow> rows = readAll(jobShard(3), 3);
    assertEquals(2, rows.size());
    ShardRow r = rows.get(0);
    assertEquals(3, r.shard());
    assertEquals(0, r.row());
    assertEquals(471, r.numTokens());
    assertEquals(228, r.numTrained());
    assertArrayEquals(new int[] {135, 126, 109, 101}, r.seqLens());
    assertArrayEquals(new long[] {3335211177479766611L, 1688435655021704435L, 926617040745623931L,
        8851027926452594923L}, r.sampleIds());
    assertArrayEquals(new int[] {151644, 8948, 198, 16141, 438, 26753, 438, 3204, 13, 151645, 198, 151644},
        Arrays.copyOf(r.inputIds(), 12));
    assertArrayEquals(new int[] {1773, 151645, -100}, Arrays.copyOfRange(r.labels(), 468, 471));
    assertEquals(511, rows.get(1).numTokens());
    assertArrayEquals(new int[] {96, 95, 72, 67, 51, 49, 45, 36}, rows.get(1).seqLens());
  }

  @Test
  void everyJobRowKeepsTheSchemaPromises() throws IOException {
    Published p = Published.latest(new org.apache.hadoop.fs.Path(JobOutput.root().toUri()), CONF);
    for (int s = 0; s < p.shards().size(); s++) {
      List<ShardRow> rows = readAll(p.shardPath(s), s);
      assertEquals(p.shards().get(s).rows(), rows.size());
      long tokens = 0;
      for (ShardRow r : rows) {
        tokens += r.numTokens();
        int at = 0;
        for (int len : r.seqLens()) {
          assertEquals(-100, r.labels()[at], "first position of a sample is never trained");
          for (int k = 0; k < len; k++) assertEquals(k, r.positionIds()[at + k], "positions restart per sample");
          at += len;
        }
        assertEquals(r.numTrained(), Arrays.stream(r.labels()).filter(l -> l != -100).count());
      }
      assertEquals(p.shards().get(s).tokens(), tokens);
    }
  }

  /** TestShards writes what the job writes: same schema text, so tests on its files say something about the job's. */
  @Test
  void testWriterSchemaIsTheJobsSchema() throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(jobShard(0), CONF))) {
      MessageType job = r.getFooter().getFileMetaData().getSchema();
      assertEquals(job, TestShards.SCHEMA);
      assertEquals("1", r.getFooter().getFileMetaData().getKeyValueMetaData().get("sftprep.schema_version"));
    }
  }

  @Test
  void seekSkipsToAnyRowAcrossRowGroups(@TempDir Path dir) throws IOException {
    List<TestShards.Row> rows = TestShards.rows(new int[] {60}, 2, 20).get(0);
    Path file = dir.resolve("part-00000.parquet");
    TestShards.write(file, rows, 2048); // many small row groups
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file.toUri());
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(p, CONF))) {
      assertTrue(r.getRowGroups().size() >= 4, "row groups: " + r.getRowGroups().size());
    }
    for (long start : new long[] {0, 1, 13, 29, 30, 59, 60}) {
      try (ShardFileReader reader = ShardFileReader.open(p, 0, CONF)) {
        reader.seek(start);
        long expect = start;
        while (reader.hasNext()) {
          ShardRow row = reader.next();
          assertEquals(expect, row.row());
          assertArrayEquals(rows.get((int) expect).sampleIds(), row.sampleIds());
          assertArrayEquals(rows.get((int) expect).inputIds(), row.inputIds());
          expect++;
        }
        assertEquals(60, expect);
      }
    }
    try (ShardFileReader reader = ShardFileReader.open(p, 0, CONF)) {
      reader.seek(10);
      assertThrows(IllegalArgumentException.class, () -> reader.seek(5));
      assertThrows(IllegalArgumentException.class, () -> reader.seek(61));
    }
  }

  @Test
  void fileWithoutTheSchemaVersionIsRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("x.parquet");
    TestShards.write(file, List.of(TestShards.row(1, 3)), 1 << 20, TestShards.SCHEMA, Map.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ShardFileReader.open(new org.apache.hadoop.fs.Path(file.toUri()), 0, CONF).close());
    assertTrue(e.getMessage().contains("expected key-value metadata sftprep.schema_version=1, found null"),
        e.getMessage());
  }

  @Test
  void columnOfAnotherTypeIsNamed(@TempDir Path dir) throws IOException {
    MessageType other = MessageTypeParser.parseMessageType(TestShards.SCHEMA.toString()
        .replace("required int64 element;\n    }\n  }\n  required group source_files",
            "required int32 element;\n    }\n  }\n  required group source_files"));
    assertFalse(other.equals(TestShards.SCHEMA), "the edit must change sample_ids");
    Path file = dir.resolve("x.parquet");
    TestShards.Row row = TestShards.row(1, 3);
    TestShards.write(file, List.of(new TestShards.Row(row.inputIds(), row.labels(), row.positionIds(),
        row.seqLens(), new long[0])), 1 << 20, other, Map.of("sftprep.schema_version", "1"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ShardFileReader.open(new org.apache.hadoop.fs.Path(file.toUri()), 0, CONF).close());
    assertTrue(e.getMessage().contains("expected column sample_ids as required group (LIST)"), e.getMessage());
  }
}
