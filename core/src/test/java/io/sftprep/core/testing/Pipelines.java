package io.sftprep.core.testing;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.core.pipeline.RecordResult;
import io.sftprep.core.pipeline.Rejection;
import io.sftprep.core.pipeline.Sample;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Preprocessors for literal-table tests: one of the npm tokenizers, settings as {@code key=value} pairs, and the
 * tokenizer's own chat template or another one (a text or a TRL template name). Tokenizers are opened once per
 * JVM; a test skips when its tokenizer (or TRL template) is not there.
 */
public final class Pipelines {
  public static final LocalDateTime NOW = LocalDateTime.of(2026, 1, 1, 0, 0);
  private static final Map<String, HfTokenizer> OPEN = new HashMap<>();

  private Pipelines() {}

  public static synchronized HfTokenizer tokenizer(String name) {
    Path dir = Fixtures.requireTokenizer(name);
    return OPEN.computeIfAbsent(name, n -> {
      try {
        return HfTokenizer.open(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  public static ModelFiles files(String name) {
    try {
      return ModelFiles.load(Fixtures.requireTokenizer(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** With the tokenizer's own template. */
  public static Preprocessor of(String tokenizer, String... settings) {
    return withTemplate(tokenizer, null, settings);
  }

  /** With {@code template} (Jinja text) instead of the tokenizer's; null keeps the tokenizer's. */
  public static Preprocessor withTemplate(String tokenizer, String template, String... settings) {
    Map<String, String> m = new HashMap<>();
    for (String kv : settings) {
      Map.Entry<String, String> e = SftConfig.parseSetting(kv);
      m.put(e.getKey(), e.getValue());
    }
    ModelFiles files = files(tokenizer);
    return new Preprocessor(SftConfig.fromMap(m), files, tokenizer(tokenizer),
        template != null ? template : files.chatTemplate(), NOW);
  }

  /** With TRL's template {@code name} ({@code qwen3_training}); skips when it cannot be found. */
  public static Preprocessor withTrlTemplate(String tokenizer, String name, String... settings) {
    Path t = Fixtures.trlTemplate(name).orElse(null);
    Assumptions.assumeTrue(t != null, "skipped: TRL template " + name + " not found (shared fixtures or venv)");
    try {
      return withTemplate(tokenizer, Files.readString(t), settings);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The one sample of a record that must give exactly one. */
  public static Sample sample(RecordResult r) {
    Assertions.assertEquals(0, r.rejections().size(), () -> "rejected: " + r.rejections());
    Assertions.assertEquals(1, r.samples().size(), "samples");
    return r.samples().get(0);
  }

  /** The one rejection of a record that must give exactly one. */
  public static Rejection rejection(RecordResult r) {
    Assertions.assertEquals(0, r.samples().size(), "samples of a record expected to be rejected");
    Assertions.assertEquals(1, r.rejections().size(), "rejections");
    return r.rejections().get(0);
  }
}
