package io.sftprep.job;

import io.sftprep.core.json.JsonWriter;
import io.sftprep.core.stats.RunStats;
import io.sftprep.job.Items.Item;
import io.sftprep.job.Items.RejectRow;
import io.sftprep.job.Items.StatsRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
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
 * What preprocessing a piece yields besides samples, written by the task itself into the staging folder, so the
 * persisted samples are read once (to be shuffled into shards) and never to find a few small items among them:
 *
 * <ul>
 *   <li>Rejects, one file per piece. Preprocessing yields a piece's rejects in (line, part) order and pieces are
 *       numbered in (file, byte offset) order, so the parts laid end to end in piece order are all rejects in
 *       (file, line, part) order: the driver concatenates them into the rejects file, no sort needed.
 *   <li>The piece's {@link RunStats}, one file per piece, merged by the driver.
 * </ul>
 *
 * Files are written under a temporary name and renamed when complete, so a retried or recomputed task writes the
 * same file again.
 *
 * <pre>{@code piece 0: lines 3, 9   piece 1: none   piece 2: line 40 (parts 0, 1)
 *   -> rejects.jsonl: line 3, line 9, line 40 part 0, line 40 part 1}</pre>
 */
final class PieceOutputs implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String rejects;
  private final String stats;
  private final List<String> names;

  /** Parts under {@code rejectsDir} and {@code statsDir}; {@code names} are the input files' names by index. */
  PieceOutputs(Path rejectsDir, Path statsDir, List<String> names) {
    this.rejects = rejectsDir.toString();
    this.stats = statsDir.toString();
    this.names = List.copyOf(names);
  }

  /** The samples of {@code items}; its rejects and stats go to this piece's parts as they come. */
  Iterator<Item> divert(Iterator<Item> items, int piece, Configuration conf) {
    return new Iterator<>() {
      private Item next;
      private boolean drained;
      private Part rejectPart;

      @Override
      public boolean hasNext() {
        while (next == null && !drained) {
          if (!items.hasNext()) {
            drained = true;
            if (rejectPart != null) rejectPart.publish();
          } else {
            Item i = items.next();
            if (i instanceof RejectRow) {
              if (rejectPart == null) rejectPart = new Part(new Path(rejects), piece, conf);
              rejectPart.write(line((RejectRow) i));
            } else if (i instanceof StatsRow) {
              Part p = new Part(new Path(stats), piece, conf);
              p.write(Ser.bytes(((StatsRow) i).stats));
              p.publish();
            } else {
              next = i;
            }
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
    };
  }

  /** The stats of pieces {@code 0..pieces-1} merged. */
  RunStats stats(int pieces, Configuration conf) throws IOException {
    Path dir = new Path(stats);
    FileSystem fs = dir.getFileSystem(conf);
    RunStats all = new RunStats();
    for (int i = 0; i < pieces; i++) {
      Path part = new Path(dir, name(i));
      if (!fs.exists(part)) throw new IOException("piece " + i + " left no stats at " + part);
      try (InputStream in = fs.open(part)) {
        all.merge(Ser.<RunStats>value(in.readAllBytes()));
      }
    }
    return all;
  }

  /**
   * Writes the reject parts of pieces {@code 0..pieces-1} end to end to {@code target} (an empty file when there
   * are none) and returns the number of rejects written.
   */
  long concatenateRejects(int pieces, Path target, Configuration conf) throws IOException {
    Path dir = new Path(rejects);
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
    return lines;
  }

  /**
   * Removes both parts folders. Call it after the last action that reads the samples: a piece recomputed then (its
   * persisted samples lost with an executor, read again for the shards) writes its parts again, and they must not
   * be published with the version.
   */
  void removeParts(Configuration conf) throws IOException {
    for (String dir : List.of(rejects, stats)) {
      Path p = new Path(dir);
      p.getFileSystem(conf).delete(p, true);
    }
  }

  /** One line of the rejects file: source_file, source_line, part, reason, detail, raw (JSON, then a newline). */
  byte[] line(RejectRow r) {
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

  /** One piece's file, written under a temporary name and renamed over any earlier attempt's when published. */
  private static final class Part {
    private final FileSystem fs;
    private final Path target;
    private final Path tmp;
    private final OutputStream out;

    Part(Path dir, int piece, Configuration conf) {
      try {
        fs = dir.getFileSystem(conf);
        fs.setWriteChecksum(false);
        target = new Path(dir, name(piece));
        tmp = new Path(dir, "." + name(piece) + ".tmp-" + UUID.randomUUID());
        out = new java.io.BufferedOutputStream(fs.create(tmp, true), 1 << 16);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write to " + dir, e);
      }
    }

    void write(byte[] bytes) {
      try {
        out.write(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + tmp, e);
      }
    }

    void publish() {
      try {
        out.close();
        if (fs.exists(target)) fs.delete(target, false);
        if (!fs.rename(tmp, target)) throw new IOException("cannot rename " + tmp + " to " + target);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + target, e);
      }
    }
  }
}
