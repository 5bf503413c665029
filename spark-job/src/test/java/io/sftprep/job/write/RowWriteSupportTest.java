package io.sftprep.job.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.core.pack.PackedRow;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.io.ColumnIOFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing straight to the column writers gives the bytes parquet-mr's record consumer gives. */
class RowWriteSupportTest {
  @TempDir java.nio.file.Path tmp;

  static List<PackedRow> rows(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<PackedRow> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int samples = i % 97 == 5 ? 0 : 1 + r.nextInt(6);
      int[] lens = new int[samples];
      long[] ids = new long[samples];
      String[] files = new String[samples];
      long[] lines = new long[samples];
      int total = 0;
      for (int k = 0; k < samples; k++) {
        lens[k] = 1 + r.nextInt(i % 13 == 0 ? 3000 : 300);
        ids[k] = r.nextLong() & Long.MAX_VALUE;
        files[k] = k % 3 == 0 ? "a/chat.jsonl" : "数据/b.jsonl";
        lines[k] = 1 + r.nextInt(100_000);
        total += lens[k];
      }
      int padded = i % 7 == 0 ? total + r.nextInt(9) : total;
      int[] inputIds = new int[padded];
      int[] labels = new int[padded];
      int[] pos = new int[padded];
      int trained = 0;
      for (int t = 0; t < padded; t++) {
        inputIds[t] = r.nextInt(151_000);
        labels[t] = t < total && r.nextInt(3) > 0 ? inputIds[t] : -100;
        if (labels[t] != -100) trained++;
        pos[t] = t;
      }
      out.add(new PackedRow(inputIds, labels, pos, lens, ids, files, lines, total, trained));
    }
    return out;
  }

  /**
   * The bytes of shard 0 written from {@code rows} in {@code tmp/name}, by the row path and values writers asked for
   * (and checked to be the ones that wrote it).
   */
  static byte[] writeShard(java.nio.file.Path tmp, String name, List<PackedRow> rows, long rowGroupBytes,
      RowWriteSupport.Path path, boolean plainInts) throws Exception {
    Path dir = new Path(tmp.resolve(name).toUri());
    try (ShardWriter w = new ShardWriter(dir, 0, new Configuration(), rowGroupBytes, 4096, path, plainInts)) {
      for (PackedRow r : rows) w.write(r);
      assertEquals(path, w.writePath(), "the rows took the path asked for");
      assertEquals(plainInts, w.plainInts(), "the values writers asked for wrote the INT32 columns");
      w.finish();
    }
    return Files.readAllBytes(tmp.resolve(name).resolve(ShardWriter.fileName(0)));
  }

  private byte[] write(RowWriteSupport.Path path, List<PackedRow> rows, long rowGroupBytes) throws Exception {
    return writeShard(tmp, path.name(), rows, rowGroupBytes, path, false);
  }

  @Test
  void directWritesGiveTheRecordConsumersBytes() throws Exception {
    List<PackedRow> rows = rows(3000, 11);
    for (long rowGroupBytes : new long[] {32 << 20, 1 << 20}) { // one row group, then many
      byte[] direct = write(RowWriteSupport.Path.DIRECT, rows, rowGroupBytes);
      byte[] consumer = write(RowWriteSupport.Path.RECORD_CONSUMER, rows, rowGroupBytes);
      assertTrue(direct.length > 1 << 20, "a file of several pages: " + direct.length);
      assertArrayEquals(consumer, direct, "row groups of " + rowGroupBytes + " bytes");
    }
  }

  @Test
  void theColumnStoreBehindParquetMrsConsumerIsReached() {
    ColumnWriteStore store = ParquetProperties.builder().build()
        .newColumnWriteStore(RowWriteSupport.SCHEMA, column -> null); // no page is written here
    assertSame(store, RowWriteSupport.columnStore(new ColumnIOFactory().getColumnIO(RowWriteSupport.SCHEMA)
        .getRecordWriter(store)));
    assertEquals(null, RowWriteSupport.columnStore(new org.apache.parquet.io.api.RecordConsumer() {
      @Override public void startMessage() {}
      @Override public void endMessage() {}
      @Override public void startField(String field, int index) {}
      @Override public void endField(String field, int index) {}
      @Override public void startGroup() {}
      @Override public void endGroup() {}
      @Override public void addInteger(int value) {}
      @Override public void addLong(long value) {}
      @Override public void addBoolean(boolean value) {}
      @Override public void addBinary(org.apache.parquet.io.api.Binary value) {}
      @Override public void addFloat(float value) {}
      @Override public void addDouble(double value) {}
    }), "another consumer: rows go through its API");
  }
}
