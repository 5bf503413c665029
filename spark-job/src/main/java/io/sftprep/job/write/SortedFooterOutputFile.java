package io.sftprep.job.write;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * An {@link OutputFile} whose Parquet footer lists each column chunk's encodings in one fixed order, so the same
 * rows give the same bytes in every JVM. parquet-mr collects a chunk's encodings in a {@code HashSet} of enum
 * constants, whose iteration order follows identity hash codes and changes from one JVM to the next: without
 * this, two runs (or a task and its retry on another executor) write shards that differ in a few footer bytes.
 *
 * <p>The stream holds back the last {@value #TAIL_BYTES} bytes written; on close, when they hold the whole footer
 * and it re-encodes to exactly the bytes parquet-mr wrote, the encoding lists are sorted by their Thrift value.
 * Only an order changes, so the footer keeps its length and every offset in it stays valid.
 *
 * <pre>{@code encodings [RLE, PLAIN]  ->  [PLAIN, RLE]      (PLAIN = 0, RLE = 3)}</pre>
 */
final class SortedFooterOutputFile implements OutputFile {
  static final int TAIL_BYTES = 4 << 20;
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private final OutputFile file;

  SortedFooterOutputFile(OutputFile file) {
    this.file = file;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return new TailStream(file.create(blockSizeHint));
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    return new TailStream(file.createOrOverwrite(blockSizeHint));
  }

  @Override
  public boolean supportsBlockSize() {
    return file.supportsBlockSize();
  }

  @Override
  public long defaultBlockSize() {
    return file.defaultBlockSize();
  }

  @Override
  public String getPath() {
    return file.getPath();
  }

  /**
   * Passes bytes on, keeping the last {@code keep} (normally {@link #TAIL_BYTES}) back until close. It holds at
   * most {@code 2 * keep} bytes, in one buffer that is never copied whole: a large write (parquet-mr writes a row
   * group's column chunks a page buffer at a time, or a whole chunk at once) goes out as it comes, all but its last
   * {@code keep} bytes. (Buffering whole writes and copying the buffer to pass it on cost a shard's task about
   * three times the shard's bytes in short-lived arrays, too large for the young generation.)
   */
  static final class TailStream extends PositionOutputStream {
    private final PositionOutputStream out;
    private final int keep;
    private final Tail tail = new Tail();
    private long passed;
    private boolean closed;

    TailStream(PositionOutputStream out) {
      this(out, TAIL_BYTES);
    }

    TailStream(PositionOutputStream out, int keep) {
      this.out = out;
      this.keep = keep;
    }

    @Override
    public long getPos() {
      return passed + tail.size();
    }

    /** Bytes held back now (at most {@code 2 * keep}). */
    int held() {
      return tail.size();
    }

    /** The length of the array that holds them (less than {@code 4 * keep}: it doubles as it grows). */
    int buffer() {
      return tail.capacity();
    }

    @Override
    public void write(int b) throws IOException {
      if (tail.size() >= 2 * keep) passOldest(tail.size() + 1 - keep);
      tail.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if ((long) tail.size() + len <= 2L * keep) {
        tail.write(b, off, len);
        return;
      }
      // what goes out: the oldest bytes of the tail, then the start of b, so that exactly `keep` stay
      long going = (long) tail.size() + len - keep;
      int fromTail = (int) Math.min(going, tail.size());
      passOldest(fromTail);
      int fromB = (int) (going - fromTail);
      if (fromB > 0) {
        this.out.write(b, off, fromB);
        passed += fromB;
      }
      tail.write(b, off + fromB, len - fromB);
    }

    private void passOldest(int n) throws IOException {
      tail.passOldest(out, n);
      passed += n;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (closed) return;
      closed = true;
      try {
        byte[] rest = tail.toByteArray();
        sortFooterEncodings(rest);
        out.write(rest);
        passed += rest.length;
        tail.reset();
      } finally {
        out.close();
      }
    }
  }

  /** A byte buffer that can hand its oldest bytes to a stream and keep the rest, without a new array. */
  private static final class Tail extends ByteArrayOutputStream {
    int capacity() {
      return buf.length;
    }

    void passOldest(java.io.OutputStream out, int n) throws IOException {
      out.write(buf, 0, n);
      System.arraycopy(buf, n, buf, 0, count - n);
      count -= n;
    }
  }

  /**
   * Sorts the encoding lists of the footer at the end of {@code bytes} in place; leaves the bytes as they are when
   * they do not end with a whole footer or the footer would not keep its exact bytes otherwise.
   */
  static void sortFooterEncodings(byte[] bytes) throws IOException {
    int n = bytes.length;
    if (n < 12 || !Arrays.equals(Arrays.copyOfRange(bytes, n - 4, n), MAGIC)) return;
    int len = (bytes[n - 8] & 0xff) | (bytes[n - 7] & 0xff) << 8 | (bytes[n - 6] & 0xff) << 16
        | (bytes[n - 5] & 0xff) << 24;
    int start = n - 8 - len;
    if (len <= 0 || start < 0) return; // the footer is longer than the tail kept
    byte[] footer = Arrays.copyOfRange(bytes, start, n - 8);
    FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(footer));
    if (!Arrays.equals(footer, write(meta))) return; // not a round trip: change nothing
    boolean changed = false;
    for (RowGroup rg : meta.getRow_groups()) {
      for (ColumnChunk cc : rg.getColumns()) {
        ColumnMetaData cm = cc.getMeta_data();
        if (cm == null || !cm.isSetEncodings()) continue;
        List<Encoding> sorted = cm.getEncodings().stream().sorted(Comparator.comparingInt(Encoding::getValue)).toList();
        if (!sorted.equals(cm.getEncodings())) {
          cm.setEncodings(new java.util.ArrayList<>(sorted));
          changed = true;
        }
      }
    }
    if (!changed) return;
    byte[] fixed = write(meta);
    if (fixed.length != footer.length) return;
    System.arraycopy(fixed, 0, bytes, start, fixed.length);
  }

  private static byte[] write(FileMetaData meta) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    Util.writeFileMetaData(meta, b);
    return b.toByteArray();
  }
}
