package io.sftprep.job;

import io.sftprep.core.config.SftConfig;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * What executors need to preprocess records, made once on the driver: the resolved config (re-parsed into an
 * {@link SftConfig} on each executor), the chat template text, the tokenizer folder URI, the instant
 * {@code strftime_now} reports, and the Hadoop settings to reach the file systems.
 */
public record JobSpec(
    TreeMap<String, String> config,
    String templateText,
    String tokenizerUri,
    String tokenizerSha256,
    String templateNow,
    Map<String, String> hadoopConf) implements Serializable {

  public SftConfig sftConfig() {
    return SftConfig.fromMap(config);
  }
}
