package io.sftprep.core.testing;

import io.sftprep.core.json.Json;
import io.sftprep.core.json.JsonWriter;
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

  public static boolean available() {
    return Files.isExecutable(Fixtures.cacheDir().resolve("venv").resolve("bin").resolve("python"));
  }

  public static Path script(String name) {
    return Fixtures.repoRoot().resolve("core/src/test/python").resolve(name);
  }

  private static ProcessBuilder builder(List<String> args, Path log) {
    List<String> cmd = new ArrayList<>();
    cmd.add(python().toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("HF_HUB_OFFLINE", "1");
    pb.environment().put("TOKENIZERS_PARALLELISM", "false");
    return pb;
  }

  /** Runs a script with arguments; fails the test with its output when it exits non-zero. */
  public static void run(List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile("sftprep-python", ".log");
    Process p = builder(args, log).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("python timed out after " + timeoutSeconds + " s: " + args);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("python failed (" + p.exitValue() + "): " + args + "\n" + Files.readString(log));
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
    List<Map<String, Object>> rows = readRows(out);
    Files.deleteIfExists(out);
    return rows;
  }

  public static List<Map<String, Object>> readRows(Path file) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) continue;
      try {
        rows.add(Json.parseObject(line));
      } catch (io.sftprep.core.json.JsonException e) {
        throw new IOException(file + ": " + e.getMessage(), e);
      }
    }
    return rows;
  }

  /**
   * Starts one Python process for many jobs (see {@code run_jobs} in {@code sftprep_ref.py}) and returns at once,
   * so that the Java side can compute its own results meanwhile; {@link Batch#await} waits for one job's output.
   */
  public static Batch start(List<Map<String, Object>> jobs, Path workDir) throws IOException {
    Path jobsFile = workDir.resolve("jobs.json");
    Files.writeString(jobsFile, JsonWriter.compact(jobs), StandardCharsets.UTF_8);
    Path log = workDir.resolve("python.log");
    Process p = builder(List.of(script("sftprep_ref.py").toString(), "--jobs", jobsFile.toString()), log).start();
    return new Batch(p, log);
  }

  /**
   * Where the output of a reference job goes: a file in {@code ~/.cache/sftprep/parity-ref} named by the SHA-256
   * of the reference script, the job's settings, the bytes of every file it reads (inputs, tokenizer folder, chat
   * template) and the venv's installed packages, so that it is reused exactly as long as nothing it depends on
   * changed; or a file in {@code workDir} when {@code SFTPREP_PARITY_CACHE=off}.
   */
  @SuppressWarnings("unchecked")
  public static Path cachedOutput(Map<String, Object> job, Path workDir) throws IOException {
    java.security.MessageDigest md;
    try {
      md = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    md.update(Files.readAllBytes(script("sftprep_ref.py")));
    Map<String, Object> settings = new java.util.TreeMap<>(job);
    settings.remove("output");
    md.update(JsonWriter.compact(settings).getBytes(StandardCharsets.UTF_8));
    List<Path> read = new ArrayList<>();
    for (Object in : (List<Object>) job.get("inputs")) read.add(Path.of((String) in));
    Path tok = Path.of((String) job.get("tokenizer"));
    read.add(tok.resolve("tokenizer.json"));
    read.add(tok.resolve("tokenizer_config.json"));
    if (job.get("chat_template") != null) read.add(Path.of((String) job.get("chat_template")));
    for (Path p : read) {
      md.update(p.toString().getBytes(StandardCharsets.UTF_8));
      if (Files.exists(p)) md.update(io.sftprep.core.tokenize.ModelFiles.sha256(p).getBytes(StandardCharsets.UTF_8));
    }
    Path lib = Fixtures.cacheDir().resolve("venv").resolve("lib");
    if (Files.isDirectory(lib)) {
      try (java.util.stream.Stream<Path> w = Files.walk(lib, 3)) {
        w.map(Path::toString).filter(n -> n.endsWith(".dist-info")).sorted()
            .forEach(n -> md.update(n.getBytes(StandardCharsets.UTF_8)));
      }
    }
    String key = java.util.HexFormat.of().formatHex(md.digest());
    String env = System.getenv("SFTPREP_PARITY_CACHE");
    if ("off".equals(env)) return workDir.resolve("ref-" + key.substring(0, 16) + ".jsonl");
    Path dir = Fixtures.cacheDir().resolve("parity-ref");
    Files.createDirectories(dir);
    return dir.resolve(key + ".jsonl");
  }

  /** Waits for a job's output: already there (cached), or being written by {@code batch}. */
  public static List<Map<String, Object>> await(Batch batch, Path output, long timeoutSeconds) throws Exception {
    if (Files.exists(output)) return readRows(output);
    if (batch == null) throw new AssertionError("no reference for " + output + " and none being computed");
    return batch.await(output, timeoutSeconds);
  }

  /** A running batch of reference jobs. */
  public static final class Batch {
    private final Process process;
    private final Path log;

    Batch(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    /** Waits until {@code output} is complete (the script renames it into place) and reads it. */
    public List<Map<String, Object>> await(Path output, long timeoutSeconds) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
      while (!Files.exists(output)) {
        if (!process.isAlive() && !Files.exists(output)) {
          throw new AssertionError("python reference exited (" + process.exitValue() + ") without writing "
              + output + ":\n" + Files.readString(log));
        }
        if (System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new AssertionError("python reference timed out waiting for " + output);
        }
        Thread.sleep(200);
      }
      return readRows(output);
    }

    public void close() {
      if (process.isAlive()) process.destroyForcibly();
    }
  }
}
