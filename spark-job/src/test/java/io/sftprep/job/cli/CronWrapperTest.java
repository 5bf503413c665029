package io.sftprep.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/cron/sftprep-nightly} around a stand-in for {@code submit.sh}: it passes the run's arguments,
 * passes the job's exit code on (0 published or unchanged, 3 too many rejects), says which in its log, and a
 * second refresh while one holds the lock does nothing and exits 75.
 */
class CronWrapperTest {
  @TempDir Path tmp;

  Path envFile(Map<String, String> extra) throws IOException {
    Path stub = tmp.resolve("submit-stub.sh");
    Files.writeString(stub, String.join("\n",
        "#!/usr/bin/env bash",
        "echo \"submit-args: $*\"",
        "[ -z \"${STUB_SLEEP:-}\" ] || sleep \"$STUB_SLEEP\"",
        "[ -z \"${STUB_OUT:-}\" ] || echo \"$STUB_OUT\"",
        "exit \"${STUB_RC:-0}\"", ""));
    Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
    StringBuilder env = new StringBuilder();
    env.append("SFTPREP_SUBMIT=").append(stub).append('\n');
    env.append("SFTPREP_INPUT=hdfs:///data/chat/\nSFTPREP_OUTPUT=hdfs:///sft/chat\nSFTPREP_TOKENIZER=/Volumes/t\n");
    env.append("SFTPREP_LOG_DIR=").append(tmp.resolve("logs")).append('\n');
    env.append("SFTPREP_LOCK=").append(tmp.resolve("nightly.lock")).append('\n');
    extra.forEach((k, v) -> env.append(k).append("='").append(v).append("'\n"));
    Path f = tmp.resolve("nightly-" + System.nanoTime() + ".env");
    Files.writeString(f, env.toString());
    return f;
  }

  Process start(Path env) throws IOException {
    Path script = DeployConfigTest.root().resolve("deploy/cron/sftprep-nightly");
    return new ProcessBuilder("bash", script.toString(), env.toString()).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("out-" + System.nanoTime() + ".txt").toFile()).start();
  }

  int run(Path env) throws Exception {
    Process p = start(env);
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the wrapper finishes");
      return p.exitValue();
    } finally {
      p.destroyForcibly();
    }
  }

  /** Every run's log of this test, concatenated. */
  String logs() throws IOException {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.list(tmp.resolve("logs"))) {
      for (Path p : files.sorted().toList()) sb.append(Files.readString(p, StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  @Test
  void publishedRunExitsZeroAndPassesTheRunArguments() throws Exception {
    assertEquals(0, run(envFile(Map.of("STUB_OUT", "published hdfs:///sft/chat/v20260101T023000-abcd1234",
        "SFTPREP_RUN_ARGS", "--config /etc/sftprep/sft.yaml"))));
    String log = logs();
    assertTrue(log.contains("submit-args: standalone run --input hdfs:///data/chat/ --output hdfs:///sft/chat "
        + "--tokenizer /Volumes/t --keep 7 --config /etc/sftprep/sft.yaml"), log);
    assertTrue(log.contains("published hdfs:///sft/chat/v20260101T023000-abcd1234 (exit 0)"), log);
  }

  @Test
  void unchangedRunExitsZeroAndSaysSo() throws Exception {
    assertEquals(0, run(envFile(Map.of("STUB_OUT", "unchanged: inputs, config, tokenizer and template equal"))));
    assertTrue(logs().contains("unchanged, nothing published (exit 0)"));
  }

  @Test
  void tooManyRejectsExitsThree() throws Exception {
    assertEquals(3, run(envFile(Map.of("STUB_RC", "3"))));
    assertTrue(logs().contains("too many rejects"));
  }

  @Test
  void missingSettingIsExitTwo() throws Exception {
    Path env = envFile(Map.of());
    Files.writeString(env, Files.readString(env).replace("SFTPREP_INPUT=hdfs:///data/chat/", ""));
    assertEquals(2, run(env));
  }

  @Test
  void secondRefreshWhileOneRunsDoesNothingAndExits75() throws Exception {
    Process first = start(envFile(Map.of("STUB_SLEEP", "20")));
    try {
      Path logs = tmp.resolve("logs");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!(Files.isDirectory(logs) && logs().contains("submit-args"))) {
        assertTrue(System.nanoTime() < deadline, "the first refresh started");
        Thread.sleep(100);
      }
      assertEquals(75, run(envFile(Map.of())));
    } finally {
      for (ProcessHandle h : first.descendants().toList()) h.destroyForcibly();
      first.destroyForcibly();
      first.waitFor(10, TimeUnit.SECONDS);
    }
  }


}
