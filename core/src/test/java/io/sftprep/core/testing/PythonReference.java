package io.sftprep.core.testing;

import io.sftprep.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the independent Python reference ({@code core/src/test/python/sftprep_ref.py}, transformers underneath)
 * in the venv {@code deploy/bin/sftprep python-env} makes. Tests skip, saying why, when the venv is missing.
 */
public final class PythonReference {
  private PythonReference() {}

  public static Path python() {
    Path py = Fixtures.cacheDir().resolve("venv").resolve("bin").resolve("python");
    Assumptions.assumeTrue(Files.isExecutable(py), "skipped: no Python reference venv at " + py
        + "; make it with deploy/bin/sftprep python-env (needs /opt/pypi/files or a package index)");
    return py;
  }

  public static Path script(String name) {
    return Fixtures.repoRoot().resolve("core/src/test/python").resolve(name);
  }

  /** Runs a script with arguments; fails the test with its output when it exits non-zero. */
  public static void run(List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(python().toString());
    cmd.addAll(args);
    Path log = Files.createTempFile("sftprep-python", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("HF_HUB_OFFLINE", "1");
    pb.environment().put("TOKENIZERS_PARALLELISM", "false");
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("python timed out after " + timeoutSeconds + " s: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("python failed (" + p.exitValue() + "): " + cmd + "\n" + Files.readString(log));
    }
    Files.deleteIfExists(log);
  }

  /** The reference's output for {@code input}: one map per non-blank input line, in order. */
  public static List<Map<String, Object>> reference(Path tokenizer, Path input, List<String> extra)
      throws Exception {
    Path out = Files.createTempFile("sftprep-ref", ".jsonl");
    List<String> args = new ArrayList<>(List.of(script("sftprep_ref.py").toString(), "--tokenizer",
        tokenizer.toString(), "--input", input.toString(), "--output", out.toString()));
    args.addAll(extra);
    run(args, 1800);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) rows.add(Json.parseObject(line));
    }
    Files.deleteIfExists(out);
    return rows;
  }
}
