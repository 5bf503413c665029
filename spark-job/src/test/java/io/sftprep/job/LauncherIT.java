package io.sftprep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher, run as users run it (after {@code package}: it runs the built jar). Its class-data archive: the
 * first {@code deploy/bin/sftprep run} writes it as it exits, the next one maps it ({@code -Xshare:on} makes a JVM
 * that cannot map it fail to start), and neither prints the JVM's archive messages. Its allocator
 * ({@code SFTPREP_MALLOC}): mimalloc preloaded when installed, the same shards either way.
 */
class LauncherIT {
  @TempDir Path tmp;

  record Result(int exit, String stdout, String stderr) {}

  Result launcher(Map<String, String> env, String... args) throws Exception {
    Path root = SparkTestSupport.repoRoot();
    List<String> cmd = new java.util.ArrayList<>(List.of(root.resolve("deploy/bin/sftprep").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
    pb.environment().putAll(env);
    Path out = tmp.resolve("stdout-" + System.nanoTime());
    Path err = tmp.resolve("stderr-" + System.nanoTime());
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    int exit = pb.start().waitFor();
    return new Result(exit, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  static List<Path> files(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void theFirstRunWritesTheArchiveAndTheNextMapsIt() throws Exception {
    Path tok = SparkTestSupport.tokenizer("qwen3");
    Path cache = tmp.resolve("cache");
    String input = SparkTestSupport.repoRoot().resolve("deploy/sample/chat.jsonl").toString();
    String out = tmp.resolve("out").toString();
    Map<String, String> env = Map.of("SFTPREP_CACHE", cache.toString());

    Result first = launcher(env, "run", "--input", input, "--output", out, "--tokenizer", tok.toString());
    assertEquals(0, first.exit(), first.stderr());
    assertTrue(first.stderr().contains("writes a class archive"), first.stderr());
    List<Path> archives = files(cache.resolve("cds"));
    assertEquals(1, archives.size(), "one archive, no temporary file left: " + archives);
    assertTrue(archives.get(0).getFileName().toString().matches("sftprep-[0-9a-f]{16}\\.jsa"), archives.toString());

    Result second = launcher(Map.of("SFTPREP_CACHE", cache.toString(),
        "SFTPREP_JAVA_OPTS", "-Xmx2g -XX:TieredStopAtLevel=1 -Xshare:on"),
        "run", "--input", input, "--output", out, "--tokenizer", tok.toString(), "--force");
    assertEquals(0, second.exit(), "the JVM maps the archive (-Xshare:on): " + second.stderr());
    assertFalse(second.stderr().contains("writes a class archive"), second.stderr());
    assertEquals(archives, files(cache.resolve("cds")));
    for (Result r : List.of(first, second)) {
      assertFalse(r.stdout().contains("[cds") || r.stdout().contains("[warning]"), r.stdout());
      assertTrue(r.stdout().contains("records in 100, written 96, rejected 4"), r.stdout());
    }
  }

  /** mimalloc's library as the launcher's {@code auto} finds it, or null when it is not installed. */
  static String mimalloc() throws Exception {
    for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
      if (!Files.isExecutable(Path.of(ldconfig))) continue;
      Process p = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      for (String line : out.split("\n")) {
        if (line.trim().startsWith("libmimalloc.so.2 ")) return line.substring(line.lastIndexOf(' ') + 1);
      }
    }
    return null;
  }

  /** The shards of the version {@code out} points to, with their SHA-256 checked against its manifest. */
  static List<String> shardHashes(Path out) throws Exception {
    String latest = Files.readString(out.resolve("_LATEST"), StandardCharsets.UTF_8).trim();
    return ShardContractTest.shardHashes(out.resolve(latest));
  }

  @Test
  void mimallocIsPreloadedWhenInstalledAndTheShardsAreTheSame() throws Exception {
    String lib = mimalloc();
    assumeTrue(lib != null, "mimalloc is not installed (apt-get install libmimalloc2.0); the allocator is not tested");
    Path tok = SparkTestSupport.tokenizer("qwen3");
    String input = SparkTestSupport.repoRoot().resolve("deploy/sample/chat.jsonl").toString();
    Map<String, Result> runs = new java.util.HashMap<>();
    for (String malloc : List.of("auto", "glibc")) {
      // mimalloc names itself on stderr when MIMALLOC_VERBOSE is set; glibc's allocator ignores the variable
      Result r = launcher(Map.of("SFTPREP_CDS", "0", "SFTPREP_MALLOC", malloc, "MIMALLOC_VERBOSE", "1"),
          "run", "--input", input, "--output", tmp.resolve("out-" + malloc).toString(), "--tokenizer", tok.toString());
      assertEquals(0, r.exit(), r.stderr());
      assertTrue(r.stdout().contains("records in 100, written 96, rejected 4"), r.stdout());
      runs.put(malloc, r);
    }
    assertTrue(runs.get("auto").stderr().contains("mimalloc:"), "auto preloads " + lib);
    assertFalse(runs.get("glibc").stderr().contains("mimalloc:"), "glibc preloads nothing");
    List<String> withMimalloc = shardHashes(tmp.resolve("out-auto"));
    assertFalse(withMimalloc.isEmpty());
    assertEquals(withMimalloc, shardHashes(tmp.resolve("out-glibc")), "the allocator changes no byte of the shards");
  }

  @Test
  void anAllocatorThatIsNotThereStopsTheLauncher() throws Exception {
    Result missing = launcher(Map.of("SFTPREP_MALLOC", tmp.resolve("libnone.so").toString()), "inspect", "x");
    assertEquals(2, missing.exit(), missing.stderr());
    assertTrue(missing.stderr().contains("libnone.so: no such file"), missing.stderr());
    Result unknown = launcher(Map.of("SFTPREP_MALLOC", "jemalloc"), "inspect", "x");
    assertEquals(2, unknown.exit(), unknown.stderr());
    assertTrue(unknown.stderr().contains("expected auto, glibc or the absolute path"), unknown.stderr());
  }
}
