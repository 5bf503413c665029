package io.sftprep.job;

import io.sftprep.core.json.JsonWriter;
import io.sftprep.job.Items.Item;
import io.sftprep.job.Items.RejectRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The rejects file without a sort or a pass of its own. Preprocessing yields a piece's rejects in (line, part)
 * order, and pieces are numbered in (file, byte offset) order, so the pieces' rejects laid end to end in piece
 * order are all rejects in (file, line, part) order. Each preprocessing task writes its piece's rejects to
 * {@code part-NNNNN} in a parts folder as they come (through a temporary name, so a retried or recomputed task
 * writes the same file again); the driver then concatenates the parts.
 *
 * <pre>{@code piece 0: lines 3, 9   piece 1: none   piece 2: line 40 (parts 0, 1)
 *   -> rejects.jsonl: line 3, line 9, line 40 part 0, line 40 part 1}</pre>
 */
final class RejectParts {
  private RejectParts() {}

  /** {@code items} without their rejects, which go to {@code dir/part-NNNNN} (no file when there are none). */
  static Iterator<Item> divert(Iterator<Item> items, Path dir, int piece, List<String> names, Configuration conf) {
    return new Iterator<>() {
      private Item next;
      private boolean drained;
      private OutputStream out;
      private Path tmp;

      @Override
      public boolean hasNext() {
        while (next == null && !drained) {
          if (!items.hasNext()) {
            drained = true;
            publish();
          } else {
            Item i = items.next();
            if (i instanceof RejectRow) write((RejectRow) i);
            else next = i;
          }
        }
        return next != null;
      }

      @Override
      public Item next() {
        if (!hasNext()) throw new NoSuchElementException();
        Item i = next;
        next = null;
        return i;
      }

      private void write(RejectRow r) {
        try {
          if (out == null) {
            FileSystem fs = dir.getFileSystem(conf);
            fs.setWriteChecksum(false);
            tmp = new Path(dir, "." + name(piece) + ".tmp-" + UUID.randomUUID());
            out = new java.io.BufferedOutputStream(fs.create(tmp, true), 1 << 16);
          }
          out.write(line(r, names));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write rejects to " + dir, e);
        }
      }

      private void publish() {
        if (out == null) return;
        try {
          out.close();
          FileSystem fs = dir.getFileSystem(conf);
          Path target = new Path(dir, name(piece));
          if (fs.exists(target)) fs.delete(target, false);
          if (!fs.rename(tmp, target)) throw new IOException("cannot rename " + tmp + " to " + target);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write rejects to " + dir, e);
        }
      }
    };
  }

  /**
   * Writes the parts of pieces {@code 0..pieces-1} end to end to {@code target} (an empty file when there are
   * none), removes the parts folder, and returns the number of rejects written.
   */
  static long concatenate(Path dir, int pieces, Path target, Configuration conf) throws IOException {
    FileSystem fs = target.getFileSystem(conf);
    fs.setWriteChecksum(false);
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    long lines = 0;
    byte[] buf = new byte[1 << 16];
    try (OutputStream out = fs.create(tmp, true)) {
      for (int i = 0; i < pieces; i++) {
        Path part = new Path(dir, name(i));
        if (!fs.exists(part)) continue;
        try (InputStream in = fs.open(part, 1 << 16)) {
          for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
            for (int k = 0; k < n; k++) if (buf[k] == '\n') lines++;
          }
        }
      }
    }
    if (fs.exists(target)) fs.delete(target, false);
    if (!fs.rename(tmp, target)) throw new IOException("cannot rename " + tmp + " to " + target);
    fs.delete(dir, true);
    return lines;
  }

  /** One line of the rejects file: source_file, source_line, part, reason, detail, raw (JSON, then a newline). */
  static byte[] line(RejectRow r, List<String> names) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source_file", names.get(r.fileIndex));
    m.put("source_line", r.line);
    m.put("part", r.part);
    m.put("reason", r.reason);
    m.put("detail", r.detail);
    m.put("raw", r.raw);
    return (JsonWriter.compact(m) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String name(int piece) {
    return String.format("part-%05d", piece);
  }
}
