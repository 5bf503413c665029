package io.sftprep.job.input;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads the lines a split owns (those that begin inside its byte range), numbered, as bytes (no string copy). Lines end at {@code \n}; a trailing {@code \r} is dropped. A line longer than
 * {@link #MAX_LINE_BYTES} is reported with its head only. Compressed files are read whole.
 */
public final class SplitReader {
  public static final int MAX_LINE_BYTES = 64 << 20;
  public static final int RAW_HEAD_BYTES = 4096;

  private SplitReader() {}

  /**
   * Newline count and SHA-256 of a split's bytes, for line numbering and input checksums, and the newline count of
   * each piece of it (see {@link InputPlanner#pieces}; the job scans for cells, which {@link InputPlanner#group}
   * joins into the pieces it processes), for numbering the lines of those pieces.
   */
  public record Digest(long newlines, byte[] sha256, long bytes, long[] pieceNewlines)
      implements java.io.Serializable {}

  public static InputStream open(InputFile file, Configuration conf) throws IOException {
    Path p = new Path(file.uri());
    InputStream raw = p.getFileSystem(conf).open(p, 1 << 16);
    switch (file.compression()) {
      case GZIP: return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
      case BZIP2: return new BufferedInputStream(new BZip2CompressorInputStream(raw, true), 1 << 16);
      case ZSTD: return new BufferedInputStream(new ZstdInputStream(raw), 1 << 16);
      default: return raw;
    }
  }

  /**
   * Counts newlines in the split's raw bytes and hashes them (the whole file when it is compressed); also counts
   * them per piece (see {@link InputPlanner#pieces}; one piece when the file cannot be cut).
   */
  public static Digest scan(InputSplit split, long pieceBytes, Configuration conf) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Path p = new Path(split.file().uri());
    FileSystem fs = p.getFileSystem(conf);
    boolean cut = split.file().splittable();
    long[] pieces = new long[cut ? InputPlanner.pieceCount(split, pieceBytes) : 1];
    long size = cut ? InputPlanner.pieceSize(split, pieceBytes) : 1;
    long newlines = 0;
    long total = 0;
    try (FSDataInputStream in = fs.open(p, 1 << 16)) {
      long remaining;
      if (cut) {
        in.seek(split.start());
        remaining = split.end() - split.start();
      } else {
        remaining = Long.MAX_VALUE;
      }
      byte[] buf = new byte[1 << 16];
      while (remaining > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
        if (n < 0) break;
        md.update(buf, 0, n);
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            newlines++;
            pieces[cut ? (int) ((total + i) / size) : 0]++;
          }
        }
        remaining -= n;
        total += n;
      }
    }
    return new Digest(newlines, md.digest(), total, pieces);
  }

  /** A cursor over the lines a split owns; {@link #next()} advances, the accessors describe the current line. */
  public static final class Lines implements java.io.Closeable {
    private final InputStream stream;
    private final long end;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkLen;
    private int chunkPos;
    private long pos; // file offset of chunk[chunkPos]
    private boolean eof;
    private byte[] line = new byte[1 << 12];
    private int len;
    private long lineLen;
    private boolean overflow;
    private long lineNo;

    private Lines(InputStream stream, long pos, long end, long firstLine) {
      this.stream = stream;
      this.pos = pos;
      this.end = end;
      this.lineNo = firstLine - 1;
    }

    public long lineNo() {
      return lineNo;
    }

    public byte[] bytes() {
      return line;
    }

    /** Bytes of the current line held in {@link #bytes()} (its head only when {@link #tooLong()}). */
    public int length() {
      return len;
    }

    public boolean tooLong() {
      return overflow;
    }

    public long fullLength() {
      return lineLen;
    }

    /** Moves to the next line this split owns; false at the end. */
    public boolean next() throws IOException {
      if (pos >= end) return false;
      len = 0;
      lineLen = 0;
      overflow = false;
      lineNo++;
      boolean any = false;
      while (true) {
        if (chunkPos >= chunkLen) {
          if (eof) break;
          chunkLen = stream.read(chunk);
          chunkPos = 0;
          if (chunkLen < 0) {
            chunkLen = 0;
            eof = true;
            break;
          }
          continue;
        }
        any = true;
        int nl = -1;
        for (int i = chunkPos; i < chunkLen; i++) {
          if (chunk[i] == '\n') {
            nl = i;
            break;
          }
        }
        int stop = nl < 0 ? chunkLen : nl;
        append(chunkPos, stop - chunkPos);
        pos += stop - chunkPos + (nl >= 0 ? 1 : 0);
        chunkPos = nl >= 0 ? nl + 1 : chunkLen;
        if (nl >= 0) {
          trimCr();
          return true;
        }
      }
      if (!any || lineLen == 0) return false;
      trimCr();
      return true;
    }

    private void trimCr() {
      if (!overflow && len > 0 && line[len - 1] == '\r') len--;
    }

    private void append(int from, int n) {
      lineLen += n;
      if (overflow) return;
      if (len + (long) n > MAX_LINE_BYTES) {
        overflow = true;
        int keep = Math.min(RAW_HEAD_BYTES, len);
        int extra = Math.min(RAW_HEAD_BYTES - keep, n);
        byte[] head = java.util.Arrays.copyOf(line, keep + extra);
        System.arraycopy(chunk, from, head, keep, extra);
        line = head;
        len = head.length;
        return;
      }
      if (len + n > line.length) {
        line = java.util.Arrays.copyOf(line, (int) Math.min(MAX_LINE_BYTES, Math.max(line.length * 2L, len + (long) n)));
      }
      System.arraycopy(chunk, from, line, len, n);
      len += n;
    }

    @Override
    public void close() throws IOException {
      stream.close();
    }
  }

  /** Opens the lines a split owns: those beginning at a byte offset in {@code [start, end)}. */
  public static Lines lines(InputSplit split, Configuration conf) throws IOException {
    if (!split.file().splittable()) {
      return new Lines(open(split.file(), conf), 0, Long.MAX_VALUE, split.firstLine());
    }
    Path p = new Path(split.file().uri());
    FSDataInputStream fin = p.getFileSystem(conf).open(p, 1 << 16);
    long pos = split.start();
    if (pos > 0) {
      fin.seek(pos - 1);
      pos -= 1;
      BufferedInputStream probe = new BufferedInputStream(fin, 1 << 16);
      int b;
      long skipped = 0;
      while ((b = probe.read()) >= 0) {
        pos++;
        skipped++;
        if (b == '\n') break;
      }
      if (b < 0) pos = Long.MAX_VALUE;
      // firstLine counts the newlines before `start`; the one ending the skipped partial line adds one more
      return new Lines(probe, pos, split.end(), split.firstLine() + (skipped > 1 ? 1 : 0));
    }
    return new Lines(new BufferedInputStream(fin, 1 << 16), 0, split.end(), split.firstLine());
  }

}
