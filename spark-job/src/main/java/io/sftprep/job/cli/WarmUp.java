package io.sftprep.job.cli;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.pack.PackedRow;
import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
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
 * what the JVM caches; a failure here is the run's to report. (Running a few hundred generated records through the
 * per-record path as well, to compile it before the first real record, made no measurable difference.)
 */
final class WarmUp {
  private WarmUp() {}

  static void start(String tokenizer) {
    Path dir;
    try {
      dir = Paths.get(tokenizer.startsWith("file:") ? URI.create(tokenizer).getPath() : tokenizer);
    } catch (RuntimeException e) {
      return; // not a local path
    }
    if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) return;
    Thread t = new Thread(() -> {
      perRecordPath(dir);
      writeOneRow();
    }, "sftprep-warm-up");
    t.setDaemon(true);
    t.start();
  }

  private static void perRecordPath(Path dir) {
    try {
      ModelFiles files = ModelFiles.load(dir);
      try (HfTokenizer tok = HfTokenizer.open(dir)) {
        if (files.chatTemplate() != null) {
          new Preprocessor(SftConfig.defaultConfig(), files, tok, files.chatTemplate(), LocalDateTime.now());
        }
      }
    } catch (Exception | LinkageError e) {
      // the run opens the tokenizer itself and reports what is wrong
    }
  }

  private static void writeOneRow() {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("sftprep-warm-up");
      try (ShardWriter w = new ShardWriter(new org.apache.hadoop.fs.Path(dir.toUri()), 0, new Configuration(),
          1 << 20, 8)) {
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
