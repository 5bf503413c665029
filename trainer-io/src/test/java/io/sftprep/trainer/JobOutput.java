package io.sftprep.trainer;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * The output of a real run of the job, kept in test resources: {@code deploy/bin/sftprep run --input
 * deploy/sample/chat.jsonl --tokenizer qwen3 --set pack.seq-length=512} (96 samples, 7,232 tokens, 3,454 trained,
 * 19 rows in 8 shards).
 */
public final class JobOutput {
  public static final String VERSION = "v20261124T071747-aea304e7";

  private JobOutput() {}

  public static Path root() {
    URL url = JobOutput.class.getResource("/job-output/_LATEST");
    if (url == null) throw new IllegalStateException("test resource job-output/_LATEST is missing");
    try {
      return Path.of(url.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
