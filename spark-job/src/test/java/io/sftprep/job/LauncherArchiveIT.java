package io.sftprep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data archive: the first {@code deploy/bin/sftprep run} writes it as it exits, the next one
 * maps it ({@code -Xshare:on} makes a JVM that cannot map it fail to start), and neither prints the JVM's archive
 * messages. Runs after {@code package}: the launcher runs the built jar.
 */
class LauncherArchiveIT {
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
}
