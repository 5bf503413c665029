package io.sftprep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.core.json.Json;
import io.sftprep.core.tokenize.ModelFiles;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shard contract: byte-identical shards whatever the cores and partitions, skip when nothing changed, atomic
 * publish that survives a run killed between staging and publish, pruning of old versions.
 */
class ShardContractTest {
  @TempDir Path tmp;

  static final Map<String, String> BASE = Map.of("template.now", "2026-01-01T00:00", "pack.seq-length", "1024",
      "output.num-shards", "4");

  static Map<String, String> with(Map<String, String> base, String... kv) {
    Map<String, String> m = new TreeMap<>(base);
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> manifest(Path versionDir) throws Exception {
    return Json.parseObject(Files.readString(versionDir.resolve("_manifest.json")));
  }

  @SuppressWarnings("unchecked")
  static List<String> shardHashes(Path versionDir) throws Exception {
    List<String> out = new ArrayList<>();
    for (Object o : (List<Object>) manifest(versionDir).get("shards")) {
      Map<String, Object> s = (Map<String, Object>) o;
      String file = (String) s.get("file");
      String actual = ModelFiles.sha256(versionDir.resolve(file));
      assertEquals(s.get("sha256"), actual, "manifest sha256 of " + file);
      out.add(file + "=" + actual);
    }
    return out;
  }

  @Test
  void shardsAreByteIdenticalWhateverTheCoresAndPartitions() throws Exception {
    Path tok = SparkTestSupport.tokenizer("qwen3");
    Path input = SparkTestSupport.repoRoot().resolve("deploy/sample/chat.jsonl");
    List<String> a;
    List<String> b;
    SparkSession one = SparkTestSupport.session("local[1]");
    try {
      RunResult r = SftJob.run(one, RunOptions.of(input.toString(), tmp.resolve("a").toString(), tok.toString(), BASE));
      a = shardHashes(Path.of(r.versionDir()));
    } finally {
      one.stop();
    }
    // the shards' sorts spill every 16 samples and merge their sorted runs
    SparkSession two = SparkTestSupport.session("local[2]",
        Map.of("spark.shuffle.spill.numElementsForceSpillThreshold", "16"));
    try {
      // tiny byte splits: the same file is read by many tasks in many partitions, and scanned by a Spark job
      // (run a's input is one split, which the driver scans itself)
      RunResult r = SftJob.run(two, RunOptions.of(input.toString(), tmp.resolve("b").toString(), tok.toString(),
          with(BASE, "input.split-bytes", "3000")));
      b = shardHashes(Path.of(r.versionDir()));
      assertTrue(((List<Object>) manifest(Path.of(r.versionDir())).get("inputs")).size() == 1);
    } finally {
      two.stop();
    }
    assertEquals(4, a.size());
    assertEquals(a, b);
  }

  @Test
  void anUnchangedInputIsSkippedForceRewritesAndKeepPrunes() throws Exception {
    Path tok = SparkTestSupport.tokenizer("qwen3");
    Path input = tmp.resolve("in.jsonl");
    Files.copy(SparkTestSupport.repoRoot().resolve("deploy/sample/chat.jsonl"), input);
    Path out = tmp.resolve("out");
    SparkSession spark = SparkTestSupport.session("local[2]");
    try {
      RunResult first = SftJob.run(spark, RunOptions.of(input.toString(), out.toString(), tok.toString(), BASE));
      RunResult again = SftJob.run(spark, RunOptions.of(input.toString(), out.toString(), tok.toString(), BASE));
      assertTrue(again.unchanged(), again.message());
      assertEquals(first.version(), again.version());
      Thread.sleep(1100); // version names have one-second resolution
      RunResult forced = SftJob.run(spark, new RunOptions(input.toString(), out.toString(), tok.toString(),
          new TreeMap<>(BASE), true, 0));
      assertFalse(forced.unchanged());
      assertNotEquals(first.version(), forced.version());
      assertEquals(shardHashes(Path.of(first.versionDir())), shardHashes(Path.of(forced.versionDir())));
      Files.writeString(input, "{\"messages\": [{\"role\": \"user\", \"content\": \"one more\"}, "
          + "{\"role\": \"assistant\", \"content\": \"line\"}]}\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
      Thread.sleep(1100);
      RunResult changed = SftJob.run(spark, new RunOptions(input.toString(), out.toString(), tok.toString(),
          new TreeMap<>(BASE), false, 2));
      assertFalse(changed.unchanged());
      assertTrue(changed.message().contains("since " + forced.version() + ": records +1, written +1"),
          changed.message());
      assertEquals(changed.version(), Files.readString(out.resolve("_LATEST")).strip());
      try (Stream<Path> s = Files.list(out)) {
        List<String> versions = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("v")).sorted()
            .toList();
        assertEquals(List.of(forced.version(), changed.version()), versions, "--keep 2 pruned the oldest");
      }
    } finally {
      spark.stop();
    }
  }

  @Test
  void aRunKilledBetweenStagingAndPublishLeavesThePreviousVersionServed() throws Exception {
    Path tok = SparkTestSupport.tokenizer("qwen3");
    Path input = tmp.resolve("in.jsonl");
    Files.copy(SparkTestSupport.repoRoot().resolve("deploy/sample/chat.jsonl"), input);
    Path out = tmp.resolve("out");
    SparkSession spark = SparkTestSupport.session("local[2]");
    String v1;
    List<String> v1Hashes;
    try {
      RunResult first = SftJob.run(spark, RunOptions.of(input.toString(), out.toString(), tok.toString(), BASE));
      v1 = first.version();
      v1Hashes = shardHashes(Path.of(first.versionDir()));
    } finally {
      spark.stop();
    }
    Files.writeString(input, "{\"text\": \"a change\"}\n", java.nio.file.StandardOpenOption.APPEND);

    Path marker = tmp.resolve("paused");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : System.getProperty("sftprep.jvm.opens", "").split(" ")) if (!flag.isBlank()) cmd.add(flag);
    cmd.add("-Dsftprep.test.pause-before-publish=" + marker);
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add("io.sftprep.job.cli.Main");
    cmd.addAll(List.of("run", "--input", input.toString(), "--output", out.toString(), "--tokenizer", tok.toString(),
        "--master", "local[2]"));
    BASE.forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("run.log").toFile())
        .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (!Files.exists(marker) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(200);
      assertTrue(Files.exists(marker), "the run never reached publish: " + Files.readString(tmp.resolve("run.log")));
      Path staging = Path.of(Files.readString(marker).replace("file:", ""));
      assertTrue(Files.exists(staging.resolve("_manifest.json")), "staging holds the finished version");
      p.destroyForcibly(); // SIGKILL
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
    assertEquals(v1, Files.readString(out.resolve("_LATEST")).strip(), "_LATEST still names the previous version");
    assertEquals(v1Hashes, shardHashes(out.resolve(v1)), "the previous version is untouched");
    File[] staged = out.resolve("_staging").toFile().listFiles();
    assertTrue(staged != null && staged.length == 1, "the killed run left its staging folder");

    SparkSession again = SparkTestSupport.session("local[2]");
    try {
      RunResult next = SftJob.run(again, RunOptions.of(input.toString(), out.toString(), tok.toString(), BASE));
      assertNotEquals(v1, next.version());
      assertEquals(next.version(), Files.readString(out.resolve("_LATEST")).strip());
      assertEquals(0, out.resolve("_staging").toFile().listFiles().length, "the next run cleaned staging");
    } finally {
      again.stop();
    }
  }
}
