package io.sftprep.job;

import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.udfs.LocalTokenizers;
import io.sftprep.udfs.PreprocessorSpec;
import io.sftprep.udfs.ThreadPreprocessors;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Per-executor state, shared with the SQL functions (module {@code udfs}): the tokenizer folder copied once per
 * JVM to local disk when it is not on the local file system (DJL opens plain local files only; a Databricks volume
 * or an object store cannot be opened directly), and one {@link Preprocessor} (with its own native tokenizer) per
 * task thread, reused by every task that thread runs.
 */
public final class Executors {
  private Executors() {}

  public static Configuration hadoopConf(Map<String, String> entries) {
    Configuration conf = new Configuration(false);
    entries.forEach(conf::set);
    return conf;
  }

  /** The preprocessor of this thread for {@code spec}, made on first use. */
  public static Preprocessor preprocessor(JobSpec spec) {
    return ThreadPreprocessors.get(new PreprocessorSpec(spec.tokenizerUri(), spec.tokenizerSha256(), spec.config(),
        spec.templateText(), spec.templateNow(), spec.hadoopConf()));
  }

  /** A local folder holding the tokenizer files of {@code uri} (any Hadoop URI); see {@link LocalTokenizers}. */
  public static java.nio.file.Path localTokenizer(String uri, Configuration conf) throws IOException {
    return LocalTokenizers.localFolder(uri, conf);
  }
}
