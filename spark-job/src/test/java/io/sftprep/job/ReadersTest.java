package io.sftprep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What consumers see: the shards load with pyarrow and {@code datasets.load_dataset("parquet")}, every packed
 * sample equals its unpacked twin, and the report page draws its charts in headless Chromium.
 */
class ReadersTest {
  @TempDir Path tmp;

  static Path python() {
    String cache = System.getenv("SFTPREP_CACHE");
    Path base = cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "sftprep");
    Path py = base.resolve("venv/bin/python");
    Assumptions.assumeTrue(Files.isExecutable(py), "skipped: no Python venv at " + py
        + " (deploy/bin/sftprep python-env)");
    return py;
  }

  static String run(List<String> cmd, Path log, long seconds) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), () -> "failed: " + cmd + "\n" + out);
    return out;
  }

  @Test
  void shardsLoadInPythonAndMatchTheUnpackedOutput() throws Exception {
    Path py = python();
    Path tok = SparkTestSupport.tokenizer("qwen3");
    Path input = SparkTestSupport.repoRoot().resolve("deploy/sample/chat.jsonl");
    Map<String, String> base = new TreeMap<>(Map.of("template.now", "2026-01-01T00:00", "pack.seq-length", "1024",
        "output.num-shards", "3"));
    SparkSession spark = SparkTestSupport.session("local[2]");
    try {
      SftJob.run(spark, RunOptions.of(input.toString(), tmp.resolve("packed").toString(), tok.toString(), base));
      base.put("pack.strategy", "none");
      SftJob.run(spark, RunOptions.of(input.toString(), tmp.resolve("unpacked").toString(), tok.toString(), base));
    } finally {
      spark.stop();
    }
    String out = run(List.of(py.toString(), SparkTestSupport.repoRoot().resolve("spark-job/src/test/python/read_shards.py")
        .toString(), tmp.resolve("packed").toString(), tmp.resolve("unpacked").toString(), tok.toString(),
        input.toString()), tmp.resolve("py.log"), 600);
    Matcher m = Pattern.compile("\"samples\": (\\d+), \"assistant_turns_checked\": (\\d+)").matcher(out);
    assertTrue(m.find(), out);
    assertEquals(96, Integer.parseInt(m.group(1)));
    assertTrue(Integer.parseInt(m.group(2)) >= 96, out);
  }

  @Test
  void theReportDrawsItsChartsInHeadlessChromium() throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    Assumptions.assumeTrue(Files.isExecutable(chromium), "skipped: no /usr/bin/chromium (apt-get install chromium)");
    Path tok = SparkTestSupport.tokenizer("qwen3");
    Path input = SparkTestSupport.repoRoot().resolve("deploy/sample/chat.jsonl");
    SparkSession spark = SparkTestSupport.session("local[2]");
    RunResult r;
    try {
      r = SftJob.run(spark, RunOptions.of(input.toString(), tmp.resolve("out").toString(), tok.toString(),
          Map.of("pack.seq-length", "1024")));
    } finally {
      spark.stop();
    }
    Path report = Path.of(r.versionDir().replace("file:", "")).resolve("_report.html");
    List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + tmp.resolve("chrome-profile"),
        "--virtual-time-budget=5000", "--dump-dom", report.toUri().toString()));
    String dom = run(cmd, tmp.resolve("chrome.log"), 120);
    for (String id : List.of("length_before", "length_after", "trained_fraction", "row_fill", "rejects")) {
      assertTrue(Pattern.compile("id=\"" + id + "\"[^>]*data-drawn=\"true\"").matcher(dom).find(),
          "chart " + id + " did not draw:\n" + dom.substring(0, Math.min(dom.length(), 2000)));
    }
    assertTrue(dom.contains("chat.jsonl"), "per-file table lists the input");
  }
}
