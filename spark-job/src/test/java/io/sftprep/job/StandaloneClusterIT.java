package io.sftprep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sftprep.core.json.Json;
import io.sftprep.core.tokenize.ModelFiles;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on 127.0.0.1 (a Master and two one-core Workers, started from the Maven-resolved
 * Spark jars): the shaded jar goes in through {@code deploy/spark-submit/submit.sh standalone}, one Worker is
 * killed with SIGKILL while the preprocessing tasks run, and the job still succeeds with shard files byte-identical
 * to a {@code local[2]} run of the same input and config, and lines read = written + rejected. Every process it
 * starts is stopped by PID, also when it fails.
 */
class StandaloneClusterIT {
  /** Copies of the sample corpus (100 lines each): enough preprocessing tasks to kill a Worker in the middle. */
  static final int COPIES = 40;
  static final Map<String, String> SETTINGS = Map.of(
      "template.now", "2026-01-01T00:00",
      "input.split-bytes", "65536",
      "output.num-shards", "4");
  static final long JOB_TIMEOUT_S = 300;

  @TempDir Path tmp;

  /** Processes this test started, stopped (with whatever they started) in reverse order. */
  static final class Processes implements AutoCloseable {
    private final List<ProcessHandle> started = new ArrayList<>();
    private final List<ProcessHandle> orphans = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "stop-cluster-processes");

    Processes() {
      Runtime.getRuntime().addShutdownHook(hook);
    }

    Process start(ProcessBuilder pb, Path log) throws IOException {
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      Process p = pb.start();
      synchronized (this) {
        started.add(p.toHandle());
      }
      return p;
    }

    /** Remembers what {@code p} started (an executor of a Worker about to be killed), to stop it later. */
    synchronized void adoptDescendants(ProcessHandle p) {
      orphans.addAll(p.descendants().toList());
    }

    synchronized void stopAll() {
      List<ProcessHandle> all = new ArrayList<>();
      for (int i = started.size() - 1; i >= 0; i--) {
        all.addAll(started.get(i).descendants().toList());
        all.add(started.get(i));
      }
      all.addAll(orphans);
      for (ProcessHandle h : all) h.destroy();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      for (ProcessHandle h : all) {
        while (h.isAlive() && System.nanoTime() < deadline) sleep(100);
        if (h.isAlive()) h.destroyForcibly();
      }
    }

    @Override
    public void close() {
      stopAll();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // the JVM is already shutting down and runs the hook
      }
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void await(String what, long seconds, BooleanSupplier done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) fail("timed out after " + seconds + " s waiting for " + what);
      sleep(200);
    }
  }

  static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "";
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static Path requiredFile(String property, String what) {
    String v = System.getProperty(property);
    Assumptions.assumeTrue(v != null, "skipped: " + property + " is not set; run this test with mvn verify ("
        + what + ")");
    Path p = Paths.get(v);
    assertTrue(Files.exists(p), what + " missing at " + p + "; mvn verify builds it in package");
    return p;
  }

  /** A folder that passes for a Spark distribution: jars/ links to the Maven-resolved Spark jars, bin/spark-submit. */
  static Path sparkHome(Path dir, Path classpathFile) throws IOException {
    Path jars = Files.createDirectories(dir.resolve("jars"));
    String cp = Files.readString(classpathFile, StandardCharsets.UTF_8).strip();
    int n = 0;
    for (String entry : cp.split(File.pathSeparator)) {
      Path jar = Paths.get(entry);
      if (!entry.endsWith(".jar")) continue;
      Path link = jars.resolve(jar.getFileName());
      if (!Files.exists(link)) Files.createSymbolicLink(link, jar);
      n++;
    }
    assertTrue(n > 100, "Spark's jars from " + classpathFile + ": " + n);
    Files.createDirectories(dir.resolve("conf"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    // what bin/spark-class does: Spark's launcher library prints a NUL line, then the java command to run,
    // NUL-separated, then its own exit code
    Files.writeString(bin.resolve("spark-submit"), String.join("\n",
        "#!/usr/bin/env bash",
        "CMD=()",
        "DELIM=$'\\n'",
        "STARTED=false",
        "while IFS= read -d \"$DELIM\" -r ARG; do",
        "  if [ \"$STARTED\" = true ]; then CMD+=(\"$ARG\"); elif [ -z \"$ARG\" ]; then DELIM=''; STARTED=true;"
            + " else echo \"$ARG\"; fi",
        "done < <(\"$JAVA_HOME/bin/java\" -Xmx128m -cp \"$SPARK_HOME/jars/*\" org.apache.spark.launcher.Main \\",
        "  org.apache.spark.deploy.SparkSubmit \"$@\"; printf '%d\\0' $?)",
        "rc=${CMD[${#CMD[@]}-1]}",
        "unset 'CMD[${#CMD[@]}-1]'",
        "[ \"$rc\" = 0 ] || exit \"$rc\"",
        "exec \"${CMD[@]}\"", ""));
    Files.setPosixFilePermissions(bin.resolve("spark-submit"), PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  static Map<String, String> clusterEnv(Path home, Path djl) {
    Map<String, String> env = new TreeMap<>();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("DJL_CACHE_DIR", djl.toString());
    env.put("TOKENIZERS_PARALLELISM", "false");
    env.put("OPT_OUT_TRACKING", "true");
    return env;
  }

  static List<String> jvm(Path home, Path log4j, String heap) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    String opens = System.getProperty("sftprep.jvm.opens", "");
    for (String f : opens.trim().split("\\s+")) if (!f.isEmpty()) cmd.add(f);
    cmd.add("-Dlog4j2.configurationFile=" + log4j.toUri());
    cmd.add("-cp");
    cmd.add(home.resolve("conf") + File.pathSeparator + home.resolve("jars") + File.separator + "*");
    return cmd;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> latestManifest(Path out) throws Exception {
    String v = Files.readString(out.resolve("_LATEST")).strip();
    return Json.parseObject(Files.readString(out.resolve(v).resolve("_manifest.json")));
  }

  /** Per shard file: the SHA-256 of its bytes, checked against the manifest's. */
  @SuppressWarnings("unchecked")
  static Map<String, String> shardHashes(Path out) throws Exception {
    String v = Files.readString(out.resolve("_LATEST")).strip();
    Map<String, String> out2 = new TreeMap<>();
    for (Object o : (List<Object>) latestManifest(out).get("shards")) {
      Map<String, Object> s = (Map<String, Object>) o;
      String file = (String) s.get("file");
      String sha = ModelFiles.sha256(out.resolve(v).resolve(file));
      assertEquals(s.get("sha256"), sha, "manifest sha256 of " + file);
      out2.put(file, sha);
    }
    out2.put("rejects", ModelFiles.sha256(out.resolve(v).resolve(SftJob.REJECTS_FILE)));
    return out2;
  }

  @Test
  @SuppressWarnings("unchecked")
  void jobSurvivesALostWorkerWithByteIdenticalShards() throws Exception {
    long t0 = System.nanoTime();
    Path tok = SparkTestSupport.tokenizer("qwen3");
    Path jar = requiredFile("sftprep.shaded.jar", "the shaded jar");
    Path sparkCp = requiredFile("sftprep.spark.classpath", "the Spark classpath file");
    Path root = SparkTestSupport.repoRoot();

    // the corpus: the sample, COPIES times over
    Path input = Files.createDirectories(tmp.resolve("input")).resolve("chat.jsonl");
    byte[] sample = Files.readAllBytes(root.resolve("deploy/sample/chat.jsonl"));
    try (var out = Files.newOutputStream(input)) {
      for (int i = 0; i < COPIES; i++) out.write(sample);
    }
    long lines = 100L * COPIES;
    String tokUri = tok.toUri().toString();

    // the reference: local[2] in this JVM
    Path localOut = tmp.resolve("out-local");
    SparkSession spark = SparkTestSupport.session("local[2]");
    try {
      RunResult r = SftJob.run(spark, RunOptions.of(input.toString(), localOut.toString(), tokUri, SETTINGS));
      assertEquals(0, r.exitCode(), r.message());
    } finally {
      spark.stop();
    }
    long tLocal = System.nanoTime();

    Path home = sparkHome(tmp.resolve("spark-home"), sparkCp);
    Path djl = Files.createDirectories(tmp.resolve("djl"));
    Map<String, String> env = clusterEnv(home, djl);
    Path clusterLog4j = tmp.resolve("log4j2-cluster.properties");
    Files.writeString(clusterLog4j, String.join("\n",
        "rootLogger.level = warn", "rootLogger.appenderRef.stderr.ref = console",
        "appender.console.type = Console", "appender.console.name = console", "appender.console.target = SYSTEM_ERR",
        "appender.console.layout.type = PatternLayout", "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n",
        "logger.master.name = org.apache.spark.deploy.master.Master", "logger.master.level = info",
        "logger.worker.name = org.apache.spark.deploy.worker.Worker", "logger.worker.level = info",
        "logger.tsm.name = org.apache.spark.scheduler.TaskSetManager", "logger.tsm.level = info",
        "logger.dag.name = org.apache.spark.scheduler.DAGScheduler", "logger.dag.level = info",
        "logger.sftprep.name = io.sftprep", "logger.sftprep.level = info", ""));

    Path clusterOut = tmp.resolve("out-cluster");
    Path driverLog = tmp.resolve("driver.log");
    Path masterLog = tmp.resolve("master.log");
    long tKill;
    long tDone;
    int workerKilled;
    try (Processes procs = new Processes()) {
      int port = freePort();
      String master = "spark://127.0.0.1:" + port;
      List<String> m = jvm(home, clusterLog4j, "256m");
      m.addAll(List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
          String.valueOf(port), "--webui-port", "0"));
      ProcessBuilder mb = new ProcessBuilder(m).directory(tmp.toFile());
      mb.environment().putAll(env);
      Process masterProc = procs.start(mb, masterLog);

      List<Process> workers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        List<String> w = jvm(home, clusterLog4j, "256m");
        w.addAll(List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
            "--memory", "1g", "--webui-port", "0", "--work-dir",
            Files.createDirectories(tmp.resolve("work-" + i)).toString(), master));
        ProcessBuilder wb = new ProcessBuilder(w).directory(tmp.toFile());
        wb.environment().putAll(env);
        workers.add(procs.start(wb, tmp.resolve("worker-" + i + ".log")));
      }
      await("two workers registered with the master (" + masterLog + ")", 120, () -> {
        assertTrue(masterProc.isAlive(), "master exited: " + read(masterLog));
        return count(read(masterLog), "Registering worker") >= 2;
      });

      // the job, through the deploy script, as an operator would submit it
      Path conf = tmp.resolve("test.conf");
      Files.writeString(conf, String.join("\n",
          "spark.executor.cores 1", "spark.executor.memory 768m", "spark.driver.memory 1g", "spark.cores.max 2",
          "spark.executorEnv.DJL_CACHE_DIR " + djl, "spark.ui.enabled false",
          "spark.driver.host 127.0.0.1", "spark.driver.bindAddress 127.0.0.1", ""));
      List<String> submit = new ArrayList<>(List.of("bash", root.resolve("deploy/spark-submit/submit.sh").toString(),
          "standalone", "run", "--input", input.toUri().toString(), "--output", clusterOut.toUri().toString(),
          "--tokenizer", tokUri));
      for (Map.Entry<String, String> e : new TreeMap<>(SETTINGS).entrySet()) {
        submit.add("--set");
        submit.add(e.getKey() + "=" + e.getValue());
      }
      ProcessBuilder sb = new ProcessBuilder(submit).directory(tmp.toFile());
      sb.environment().putAll(env);
      sb.environment().put("SFTPREP_MASTER", master);
      sb.environment().put("SFTPREP_JAR", jar.toString());
      sb.environment().put("SFTPREP_CONF", conf.toString());
      sb.environment().put("SFTPREP_LOG4J", clusterLog4j.toString());
      Process driver = procs.start(sb, driverLog);

      // kill a Worker (and so its executor) once some preprocessing tasks are done and others still run; the
      // preprocessing stage is the job's first shuffle map stage (the one before it only scans the inputs)
      int[] stage = {-1};
      await("the preprocessing stage to start (" + driverLog + ")", 180, () -> {
        assertTrue(driver.isAlive(), "the driver exited before the kill: " + read(driverLog));
        Matcher sm = Pattern.compile("Submitting ShuffleMapStage (\\d+) ").matcher(read(driverLog));
        if (sm.find()) stage[0] = Integer.parseInt(sm.group(1));
        return stage[0] >= 0;
      });
      Pattern finished = Pattern.compile("Finished task \\S+ in stage " + stage[0] + "\\.0 .*\\((\\d+)/(\\d+)\\)");
      await("preprocessing tasks finishing in stage " + stage[0] + " (" + driverLog + ")", 180, () -> {
        assertTrue(driver.isAlive(), "the driver exited before the kill: " + read(driverLog));
        int[] done = progress(finished, read(driverLog));
        return done[1] > 0 && done[0] >= Math.max(1, done[1] / 4);
      });
      String before = read(driverLog);
      int[] atKill = progress(finished, before);
      assertFalse(Pattern.compile("ShuffleMapStage " + stage[0] + " \\(.*\\) finished").matcher(before).find(),
          "the preprocessing stage is still running at the kill");
      assertTrue(atKill[0] < atKill[1], "tasks left at the kill: " + atKill[0] + "/" + atKill[1]);
      workerKilled = 0;
      ProcessHandle victim = workers.get(workerKilled).toHandle();
      assertFalse(victim.descendants().toList().isEmpty(), "the worker runs an executor");
      procs.adoptDescendants(victim);
      assertTrue(victim.destroyForcibly(), "SIGKILL sent to worker " + victim.pid());
      tKill = System.nanoTime();
      System.err.printf("StandaloneClusterIT: killed worker %d (pid %d) at %d/%d tasks of stage %d%n",
          workerKilled, victim.pid(), atKill[0], atKill[1], stage[0]);

      assertTrue(driver.waitFor(JOB_TIMEOUT_S, TimeUnit.SECONDS), "the job finishes: " + read(driverLog));
      tDone = System.nanoTime();
      String log = read(driverLog);
      assertEquals(0, driver.exitValue(), "the job succeeds despite the lost worker:\n" + log);
      assertTrue(log.contains("Lost executor"), "the driver lost the killed worker's executor:\n" + log);
      assertTrue(log.contains("Resubmitted ShuffleMapTask") || log.contains("Lost task"),
          "work of the lost executor was done again:\n" + log);
      assertTrue(workers.get(1).isAlive(), "the other worker still runs");
    } finally {
      keepLogs(tmp, List.of("driver.log", "master.log", "worker-0.log", "worker-1.log"));
    }

    // byte-identical shards and rejects, and every line accounted for
    assertEquals(shardHashes(localOut), shardHashes(clusterOut));
    Map<String, Object> totals = (Map<String, Object>) latestManifest(clusterOut).get("totals");
    long read = ((Number) totals.get("lines")).longValue();
    long written = ((Number) totals.get("written")).longValue();
    long rejected = ((Number) totals.get("rejected")).longValue();
    assertEquals(lines, read, "lines read");
    assertEquals(read, written + rejected, "lines read = written + rejected");
    assertEquals(96L * COPIES, written);
    assertEquals(totals, latestManifest(localOut).get("totals"));
    System.err.printf("StandaloneClusterIT: %d lines; local[2] run %.1f s; cluster up + submit to kill %.1f s; "
        + "kill to done %.1f s; total %.1f s%n", lines, (tLocal - t0) / 1e9, (tKill - tLocal) / 1e9,
        (tDone - tKill) / 1e9, (System.nanoTime() - t0) / 1e9);
  }

  /** Copies the cluster's logs to {@code sftprep.it.logs} (target/cluster-it under Maven) for a look afterwards. */
  static void keepLogs(Path from, List<String> names) throws IOException {
    String dir = System.getProperty("sftprep.it.logs");
    if (dir == null) return;
    Path to = Files.createDirectories(Paths.get(dir));
    for (String n : names) {
      if (Files.exists(from.resolve(n))) {
        Files.copy(from.resolve(n), to.resolve(n), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
    return n;
  }

  /** The highest "(done/total)" of the finished-task lines. */
  static int[] progress(Pattern finished, String log) {
    Matcher m = finished.matcher(log);
    int[] best = {0, 0};
    while (m.find()) {
      int done = Integer.parseInt(m.group(1));
      if (done >= best[0]) best = new int[] {done, Integer.parseInt(m.group(2))};
    }
    return best;
  }
}
