package io.sftprep.job;

import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.udfs.LocalTokenizers;
import io.sftprep.udfs.PreprocessorPool;
import io.sftprep.udfs.PreprocessorSpec;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Per-executor state, shared with the SQL functions (module {@code udfs}): the tokenizer folder copied once per
 * JVM to local disk when it is not on the local file system (DJL opens plain local files only; a Databricks volume
 * or an object store cannot be opened directly), and {@link Preprocessor}s (each with its own native tokenizer)
 * lent to one task at a time ({@link PreprocessorPool}).
 */
public final class Executors {
  private Executors() {}

  public static Configuration hadoopConf(Map<String, String> entries) {
    Configuration conf = new Configuration(false);
    entries.forEach(conf::set);
    return conf;
  }

  /** A preprocessor for {@code spec}, the running task's until it ends ({@link PreprocessorPool#forTask}). */
  public static Preprocessor preprocessor(JobSpec spec) {
    return PreprocessorPool.forTask(new PreprocessorSpec(spec.tokenizerUri(), spec.tokenizerSha256(), spec.config(),
        spec.templateText(), spec.templateNow(), spec.hadoopConf()));
  }

  /** A local folder holding the tokenizer files of {@code uri} (any Hadoop URI); see {@link LocalTokenizers}. */
  public static java.nio.file.Path localTokenizer(String uri, Configuration conf) throws IOException {
    return LocalTokenizers.localFolder(uri, conf);
  }
}
