package io.sftprep.job.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.core.pack.PackedRow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.PositionOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shard whose footer lists encodings in another order (as parquet-mr does in another JVM) comes out of the
 * stream with exactly the bytes of the sorted one; everything before the footer passes unchanged, and bytes
 * that do not end in a Parquet footer pass untouched.
 */
class SortedFooterOutputFileTest {
  @TempDir Path tmp;

  byte[] shard() throws IOException {
    Path dir = tmp.resolve("data");
    try (ShardWriter w = new ShardWriter(new org.apache.hadoop.fs.Path(dir.toUri()), 0, new Configuration(),
        1 << 20, 16)) {
      long x = 1;
      for (int r = 0; r < 50; r++) { // rows of 16 hardly compressible ids, so the data outweighs the footer
        int[] ids = new int[16];
        for (int i = 0; i < ids.length; i++) {
          x = x * 6364136223846793005L + 1442695040888963407L;
          ids[i] = (int) (x >>> 45);
        }
        int[] labels = ids.clone();
        labels[0] = -100;
        w.write(new PackedRow(ids, labels, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
            new int[] {16}, new long[] {r}, new String[] {"a.jsonl"}, new long[] {r + 1L}, 16, 15));
      }
      w.finish();
    }
    return Files.readAllBytes(dir.resolve(ShardWriter.fileName(0)));
  }

  /** The same file with every encoding list reversed. */
  static byte[] reversedFooter(byte[] file) throws IOException {
    int n = file.length;
    int len = (file[n - 8] & 0xff) | (file[n - 7] & 0xff) << 8 | (file[n - 6] & 0xff) << 16 | (file[n - 5] & 0xff) << 24;
    FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(file, n - 8 - len, len));
    for (RowGroup rg : meta.getRow_groups()) {
      for (ColumnChunk cc : rg.getColumns()) {
        List<Encoding> e = new ArrayList<>(cc.getMeta_data().getEncodings());
        Collections.reverse(e);
        cc.getMeta_data().setEncodings(e);
      }
    }
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    Util.writeFileMetaData(meta, footer);
    assertEquals(len, footer.size());
    byte[] out = file.clone();
    System.arraycopy(footer.toByteArray(), 0, out, n - 8 - len, len);
    return out;
  }

  static byte[] throughStream(byte[] in) throws IOException {
    return throughStream(in, SortedFooterOutputFile.TAIL_BYTES);
  }

  static byte[] throughStream(byte[] in, int keep) throws IOException {
    return throughStream(in, keep, new int[] {7});
  }

  /**
   * Writes {@code in} in pieces of the given sizes, in turn: never more than {@code 2 * keep} bytes held back, in
   * a buffer that never grew to hold a large write whole.
   */
  static byte[] throughStream(byte[] in, int keep, int[] pieces) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PositionOutputStream base = new PositionOutputStream() {
      @Override
      public long getPos() {
        return sink.size();
      }

      @Override
      public void write(int b) {
        sink.write(b);
      }
    };
    try (SortedFooterOutputFile.TailStream s = new SortedFooterOutputFile.TailStream(base, keep)) {
      int k = 0;
      for (int i = 0; i < in.length; ) {
        int n = Math.min(pieces[k++ % pieces.length], in.length - i);
        if (n == 1) s.write(in[i]);
        else s.write(in, i, n);
        i += n;
        assertEquals(i, s.getPos());
        assertTrue(s.held() <= 2 * keep, "held back " + s.held() + " of at most " + 2 * keep);
        assertTrue(s.buffer() < 4 * keep, "a buffer of " + s.buffer() + " bytes, for " + 2 * keep + " held");
      }
    }
    return sink.toByteArray();
  }

  @Test
  void footerWithEncodingsInAnotherOrderBecomesTheSortedBytes() throws Exception {
    byte[] sorted = shard();
    byte[] reversed = reversedFooter(sorted);
    assertNotEquals(Arrays.hashCode(sorted), Arrays.hashCode(reversed), "some chunk has two encodings");
    assertArrayEquals(sorted, throughStream(reversed));
    assertArrayEquals(sorted, throughStream(sorted));
  }

  @Test
  void onlyTheTailIsHeldBackWhateverTheWritesAndAFooterLongerThanItIsLeftAlone() throws Exception {
    byte[] sorted = shard();
    byte[] reversed = reversedFooter(sorted);
    int n = sorted.length;
    int footer = (sorted[n - 8] & 0xff) | (sorted[n - 7] & 0xff) << 8 | (sorted[n - 6] & 0xff) << 16;
    int keep = footer + 8 + 16;
    assertTrue(n > 4 * keep, "the file is long enough for bytes to pass before close: " + n);
    // single bytes, writes smaller and larger than the tail, one larger than the whole file
    int[][] sizes = {{7}, {1}, {keep / 3, 1, 5}, {keep - 1}, {keep, keep + 1}, {3 * keep + 7, 2}, {n + 1}};
    for (int[] pieces : sizes) {
      assertArrayEquals(sorted, throughStream(reversed, keep, pieces), Arrays.toString(pieces));
    }
    assertArrayEquals(reversed, throughStream(reversed, footer / 2));
  }

  @Test
  void bytesWithoutAParquetFooterPassUntouched() throws Exception {
    byte[] text = "not parquet at all, but long enough".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertArrayEquals(text, throughStream(text));
  }
}
