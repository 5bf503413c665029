package io.sftprep.job.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.core.pack.PackedRow;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bulk INT32 writer gives parquet-mr's PLAIN bytes, page for page, and is used only where parquet-mr's is. */
class PlainIntsTest {
  @TempDir java.nio.file.Path tmp;

  @Test
  void valuesAreLaidOutLittleEndianPageByPage() {
    PlainInts w = new PlainInts();
    for (int v : new int[] {1, -100, 151_000, Integer.MIN_VALUE}) w.writeInteger(v);
    assertEquals(16, w.getBufferedSize());
    assertArrayEquals(new byte[] {
        1, 0, 0, 0,
        (byte) 0x9c, (byte) 0xff, (byte) 0xff, (byte) 0xff,
        (byte) 0xd8, (byte) 0x4d, 2, 0,
        0, 0, 0, (byte) 0x80}, bytes(w));
    assertEquals(Encoding.PLAIN, w.getEncoding());
    w.reset();
    assertEquals(0, w.getBufferedSize());
    w.writeInteger(7);
    assertArrayEquals(new byte[] {7, 0, 0, 0}, bytes(w), "a new page holds only its own values");
  }

  @Test
  void aPageOfManyValuesEqualsParquetMrsPlainWriter() {
    PlainInts ours = new PlainInts();
    PlainValuesWriter parquets = new PlainValuesWriter(64, 1 << 20, new org.apache.parquet.bytes.HeapByteBufferAllocator());
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    for (int page = 0; page < 3; page++) {
      int n = page == 1 ? 0 : 5_000 + r.nextInt(20_000); // past the first array's size, and one empty page
      for (int i = 0; i < n; i++) {
        int v = r.nextInt();
        ours.writeInteger(v);
        parquets.writeInteger(v);
      }
      assertEquals(parquets.getBufferedSize(), ours.getBufferedSize(), "page " + page);
      assertArrayEquals(bytes(parquets), bytes(ours), "page " + page);
      ours.reset();
      parquets.reset();
    }
  }

  @Test
  void onlyColumnsParquetMrWouldWritePlainAsInt32GetIt() {
    ColumnDescriptor ints = RowWriteSupport.SCHEMA.getColumns().get(0);
    ColumnDescriptor longs = RowWriteSupport.SCHEMA.getColumns().get(4);
    assertEquals("[input_ids, list, element]", java.util.Arrays.toString(ints.getPath()));
    assertEquals("[sample_ids, list, element]", java.util.Arrays.toString(longs.getPath()));

    ValuesWriter plainInt = factory(false).newValuesWriter(ints);
    assertSame(PlainInts.class, plainInt.getClass());
    assertSame(PlainValuesWriter.class, factory(false).newValuesWriter(longs).getClass(), "INT64 stays parquet-mr's");
    assertTrue(!(factory(true).newValuesWriter(ints) instanceof PlainInts), "a dictionary column stays parquet-mr's");
  }

  @Test
  void shardsAreTheBytesParquetMrWritesWithoutIt() throws Exception {
    List<PackedRow> rows = RowWriteSupportTest.rows(3000, 17);
    for (long rowGroupBytes : new long[] {32 << 20, 1 << 20}) { // one row group, then many
      byte[] ours = write("plain-ints-" + rowGroupBytes, rows, rowGroupBytes, true);
      byte[] parquets = write("parquet-" + rowGroupBytes, rows, rowGroupBytes, false);
      assertTrue(ours.length > 4 << 20, "a file of many pages: " + ours.length);
      assertArrayEquals(parquets, ours, "row groups of " + rowGroupBytes + " bytes");
    }
  }

  private byte[] write(String name, List<PackedRow> rows, long rowGroupBytes, boolean plainInts) throws Exception {
    return RowWriteSupportTest.writeShard(tmp, name, rows, rowGroupBytes, RowWriteSupport.Path.DIRECT, plainInts);
  }

  private static PlainInts.Factory factory(boolean dictionary) {
    PlainInts.Factory f = new PlainInts.Factory();
    f.initialize(ParquetProperties.builder().withDictionaryEncoding(dictionary).build());
    return f;
  }

  private static byte[] bytes(ValuesWriter w) {
    try {
      return w.getBytes().toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
