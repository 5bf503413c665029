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
 * what the JVM caches and the spare tokenizers below; a failure here is the run's to report. (Running a few hundred
 * generated records through the per-record path as well, to compile it before the first real record, made no
 * measurable difference.) It opens every tokenizer the run's threads will ask for (the driver's, which goes on
 * to a local task, and the other local tasks'), the first one with the template and the others at once on threads of
 * their own, as spares promised ahead: opening one takes up to a second of a core (Qwen3's: 0.7 to 1.0 s), and a
 * thread that asks before its spare is ready waits for it rather than open one more beside it
 * ({@link HfTokenizer#open}).
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
    HfTokenizer.promise(dir, tokenizers); // the run's opens wait for these rather than open more beside them
    Thread t = new Thread(() -> {
      perRecordPath(dir);
      for (int i = 1; i < tokenizers; i++) {
        Thread ahead = new Thread(() -> openAhead(dir), "sftprep-warm-up-" + i);
        ahead.setDaemon(true);
        ahead.start();
      }
      writeOneRow();
    }, "sftprep-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /**
   * How many tokenizers this JVM will open for a run under {@code master}: one per task it runs at once when the
   * tasks run here ({@code local}, {@code local[N]}, {@code local[*]}, with or without a retry count; the driver's
   * own goes on to a task when it is done with it), else the driver's.
   *
   * <pre>{@code local[*] on 2 cores -> 2   local[4,2] -> 4   local -> 1   spark://host:7077 -> 1}</pre>
   */
  static int tokenizersNeeded(String master, int cores) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?\\])?")
        .matcher(master.trim());
    if (!m.matches() || m.group(1) == null) return 1;
    return m.group(1).equals("*") ? Math.max(1, cores) : Math.max(1, Integer.parseInt(m.group(1)));
  }

  /**
   * Compiles the chat template (loading the engine's classes) with a tokenizer that is then kept as a spare: the
   * first promised one, delivered or withdrawn.
   */
  private static void perRecordPath(Path dir) {
    HfTokenizer spare = null;
    String stamp = null;
    try {
      ModelFiles files = ModelFiles.load(dir);
      stamp = HfTokenizer.stamp(dir);
      HfTokenizer tok = HfTokenizer.openNew(dir);
      try {
        if (files.chatTemplate() != null) {
          new Preprocessor(SftConfig.defaultConfig(), files, tok, files.chatTemplate(), LocalDateTime.now());
        }
        spare = tok;
      } catch (RuntimeException e) {
        tok.close();
      }
    } catch (Exception | LinkageError e) {
      // the run opens the tokenizer itself and reports what is wrong
    } finally {
      deliver(dir, spare, stamp);
    }
  }

  /** Opens one more tokenizer of {@code dir}: a promised spare (see {@link HfTokenizer#open}). */
  private static void openAhead(Path dir) {
    HfTokenizer spare = null;
    String stamp = null;
    try {
      stamp = HfTokenizer.stamp(dir);
      spare = HfTokenizer.openNew(dir);
    } catch (Exception | LinkageError e) {
      // the task opens its own
    } finally {
      deliver(dir, spare, stamp);
    }
  }

  private static void deliver(Path dir, HfTokenizer spare, String stamp) {
    if (spare != null) {
      HfTokenizer.spare(dir, spare, stamp);
    } else {
      HfTokenizer.withdraw(dir, 1);
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
