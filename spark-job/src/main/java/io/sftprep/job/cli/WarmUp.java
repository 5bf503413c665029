package io.sftprep.job.cli;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.pack.PackedRow;
import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
import io.sftprep.job.write.NioLocalFileSystem;
import io.sftprep.job.write.ShardWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * Work a run will need, done on a background thread while Spark starts (which keeps about one core busy): a local
 * tokenizer folder is read (parsed once per JVM: {@link ModelFiles}, the token byte lengths) and its native
 * library loaded; the template engine's classes are loaded by compiling the chat template; the Parquet writer and
 * ZSTD's native library are loaded by writing a one-row shard to a temporary folder. Nothing it makes is kept but
 * what the JVM caches and the spare tokenizers below; a failure here is the run's to report. (Running a few hundred generated records through the
 * per-record path as well, to compile it before the first real record, made no measurable difference.) Last, it
 * opens the tokenizers the run's other threads will ask for (the driver's, and each local task thread's), as
 * spares: opening one takes about half a second of a core, which the first tasks would otherwise spend.
 */
final class WarmUp {
  private WarmUp() {}

  /**
   * Starts the warm-up for a run on {@code tokenizer} under {@code master} (null: spark-submit's or the embedded
   * {@code local[*]}).
   */
  static void start(String tokenizer, String master) {
    Path dir;
    try {
      dir = Paths.get(tokenizer.startsWith("file:") ? URI.create(tokenizer).getPath() : tokenizer);
    } catch (RuntimeException e) {
      return; // not a local path
    }
    if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) return;
    int tokenizers = tokenizersNeeded(master != null ? master : System.getProperty("spark.master", "local[*]"),
        Runtime.getRuntime().availableProcessors());
    Thread t = new Thread(() -> {
      perRecordPath(dir);
      writeOneRow();
      openAhead(dir, tokenizers - 1);
    }, "sftprep-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /**
   * How many tokenizers this JVM will open for a run under {@code master}: the driver's, plus one per task thread
   * when the tasks run here ({@code local}, {@code local[N]}, {@code local[*]}, with or without a retry count).
   *
   * <pre>{@code local[*] on 2 cores -> 3   local[4,2] -> 5   local -> 2   spark://host:7077 -> 1}</pre>
   */
  static int tokenizersNeeded(String master, int cores) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?\\])?")
        .matcher(master.trim());
    if (!m.matches()) return 1;
    if (m.group(1) == null) return 2;
    return 1 + (m.group(1).equals("*") ? cores : Math.max(1, Integer.parseInt(m.group(1))));
  }

  /** Compiles the chat template (loading the engine's classes) with a tokenizer that is then kept as a spare. */
  private static void perRecordPath(Path dir) {
    try {
      ModelFiles files = ModelFiles.load(dir);
      String stamp = HfTokenizer.stamp(dir);
      HfTokenizer tok = HfTokenizer.openNew(dir);
      try {
        if (files.chatTemplate() != null) {
          new Preprocessor(SftConfig.defaultConfig(), files, tok, files.chatTemplate(), LocalDateTime.now());
        }
      } catch (RuntimeException e) {
        tok.close();
        return;
      }
      HfTokenizer.spare(dir, tok, stamp);
    } catch (Exception | LinkageError e) {
      // the run opens the tokenizer itself and reports what is wrong
    }
  }

  /** Opens {@code n} more tokenizers of {@code dir} as spares (see {@link HfTokenizer#open}). */
  private static void openAhead(Path dir, int n) {
    try {
      for (int i = 0; i < n; i++) {
        String stamp = HfTokenizer.stamp(dir);
        HfTokenizer.spare(dir, HfTokenizer.openNew(dir), stamp);
      }
    } catch (Exception | LinkageError e) {
      // the tasks open their own
    }
  }

  private static void writeOneRow() {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("sftprep-warm-up");
      Configuration conf = new Configuration();
      conf.set("fs.file.impl", NioLocalFileSystem.class.getName()); // the run's own, as Main.session sets it
      try (ShardWriter w = new ShardWriter(new org.apache.hadoop.fs.Path(dir.toUri()), 0, conf, 1 << 20, 8)) {
        w.write(new PackedRow(new int[] {1, 2}, new int[] {-100, 2}, new int[] {0, 1}, new int[] {2}, new long[] {1},
            new String[] {"warm-up"}, new long[] {1}, 2, 1));
        w.finish();
      }
    } catch (Exception | LinkageError e) {
      // the run's own writes report any problem
    } finally {
      if (dir != null) {
        try (Stream<Path> s = Files.walk(dir)) {
          s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
          // a temporary folder left behind
        }
      }
    }
  }
}
