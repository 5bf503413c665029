package io.sftprep.job;

import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Per-executor state: the tokenizer folder copied once to local disk (DJL opens plain local files only; a
 * Databricks volume or an object store cannot be opened directly), and one {@link Preprocessor} (with its own
 * native tokenizer) per task thread, reused by every task that thread runs.
 */
public final class Executors {
  private Executors() {}

  private static final Map<String, java.nio.file.Path> LOCAL_TOKENIZERS = new ConcurrentHashMap<>();
  private static final ThreadLocal<Map<String, Preprocessor>> PREPROCESSORS = ThreadLocal.withInitial(HashMap::new);

  public static Configuration hadoopConf(Map<String, String> entries) {
    Configuration conf = new Configuration(false);
    entries.forEach(conf::set);
    return conf;
  }

  /** The preprocessor of this thread for {@code spec}, made on first use. */
  public static Preprocessor preprocessor(JobSpec spec) {
    Map<String, Preprocessor> mine = PREPROCESSORS.get();
    Preprocessor p = mine.get(spec.cacheKey());
    if (p == null) {
      try {
        java.nio.file.Path dir = localTokenizer(spec.tokenizerUri(), hadoopConf(spec.hadoopConf()));
        ModelFiles files = ModelFiles.load(dir);
        HfTokenizer tok = HfTokenizer.open(dir);
        p = new Preprocessor(spec.sftConfig(), files, tok, spec.templateText(), LocalDateTime.parse(spec.templateNow()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open tokenizer " + spec.tokenizerUri(), e);
      }
      mine.put(spec.cacheKey(), p);
    }
    return p;
  }

  /**
   * A local folder holding the tokenizer files: the folder itself when it is local, otherwise a copy made once
   * per JVM under {@code DJL_CACHE_DIR} (or the temp folder).
   */
  public static java.nio.file.Path localTokenizer(String uri, Configuration conf) throws IOException {
    try {
      return LOCAL_TOKENIZERS.computeIfAbsent(uri, u -> {
        try {
          return copyLocal(u, conf);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static java.nio.file.Path copyLocal(String uri, Configuration conf) throws IOException {
    Path src = new Path(uri);
    String scheme = src.toUri().getScheme();
    if (scheme == null || scheme.equals("file")) {
      java.nio.file.Path local = Paths.get(src.toUri().getPath());
      if (Files.exists(local.resolve("tokenizer.json"))) return local;
    }
    String base = System.getenv("DJL_CACHE_DIR");
    java.nio.file.Path root = Paths.get(base != null && !base.isEmpty() ? base : System.getProperty("java.io.tmpdir"));
    java.nio.file.Path dest = root.resolve("sftprep-tokenizers").resolve(
        io.sftprep.core.tokenize.ModelFiles.sha256(uri).substring(0, 16));
    java.nio.file.Path tmp = Files.createDirectories(root.resolve("sftprep-tokenizers"))
        .resolve(dest.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
    Files.createDirectories(tmp);
    FileSystem fs = src.getFileSystem(conf);
    for (FileStatus st : fs.listStatus(src)) {
      if (st.isFile()) fs.copyToLocalFile(false, st.getPath(), new Path(tmp.resolve(st.getPath().getName()).toUri()), true);
    }
    if (!Files.exists(tmp.resolve("tokenizer.json"))) {
      throw new IOException("no tokenizer.json in " + uri);
    }
    try {
      Files.move(tmp, dest, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) { // another executor JVM on this host got there first
      if (!Files.exists(dest.resolve("tokenizer.json"))) throw e;
    }
    return dest;
  }
}
