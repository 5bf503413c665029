package io.sftprep.job.cli;

import io.sftprep.core.config.SftConfig;
import io.sftprep.job.RunOptions;
import io.sftprep.job.RunResult;
import io.sftprep.job.SftJob;
import io.sftprep.job.bench.Bench;
import io.sftprep.job.write.NioLocalFileSystem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * {@code sftprep} commands. {@code run} is the Spark job (embedded {@code local[*]} unless a master is given,
 * by {@code --master} or by spark-submit); {@code preview} and {@code inspect} need no Spark; {@code bench} runs the
 * benchmark (see {@link Bench}).
 */
public final class Main {
  private Main() {}

  static final String USAGE = String.join("\n",
      "usage:",
      "  sftprep run --input PATH_OR_GLOB --output DIR --tokenizer DIR [--config FILE] [--set key=value ...]",
      "              [--chat-template FILE] [--format F] [--master URL] [--force] [--keep N]",
      "  sftprep preview --tokenizer DIR --input FILE [--limit N] [--json] [--config FILE] [--set key=value ...]",
      "  sftprep inspect DIR [--row N]",
      "  sftprep bench [--mode full|small|startup|memory] [--size 200MB | --conversations N] [--seed 42] [...]",
      "exit codes: 0 ok, 2 bad usage or config, 3 too many rejects (max-reject-fraction), 1 failure");

  public static void main(String[] argv) {
    int code;
    try {
      code = run(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("sftprep: " + e.getMessage());
      code = 2;
    } catch (Exception e) {
      System.err.println("sftprep: failed: " + e);
      e.printStackTrace(System.err);
      code = 1;
    }
    System.out.flush();
    if (Host.current() == Host.SHARED_JVM) {
      // a Databricks jar task runs main in the cluster's long-lived driver: no System.exit; a failure must throw
      if (code != 0) throw new IllegalStateException("sftprep failed with exit code " + code + " (" + exitMeaning(code) + ")");
      return;
    }
    System.exit(code);
  }

  /** Where main runs: its own JVM (exit with the code), or a platform's shared driver (throw, never exit). */
  enum Host {
    OWN_JVM, SHARED_JVM;

    static Host current() {
      return System.getenv("DATABRICKS_RUNTIME_VERSION") != null ? SHARED_JVM : OWN_JVM;
    }
  }

  static String exitMeaning(int code) {
    switch (code) {
      case 0: return "ok";
      case 2: return "bad usage or config";
      case 3: return "too many rejects: the version was written but not published";
      default: return "failure";
    }
  }

  static int run(String[] argv) throws Exception {
    if (argv.length == 0) {
      System.err.println(USAGE);
      return 2;
    }
    String cmd = argv[0];
    String[] rest = java.util.Arrays.copyOfRange(argv, 1, argv.length);
    switch (cmd) {
      case "run":
        return runJob(rest);
      case "preview":
        return Preview.run(rest);
      case "inspect":
        return Inspect.run(rest);
      case "bench":
        return Bench.run(rest);
      case "-h":
      case "--help":
      case "help":
        System.out.println(USAGE);
        return 0;
      default:
        throw new IllegalArgumentException("unknown command '" + cmd + "'\n" + USAGE);
    }
  }

  /**
   * Settings from {@code --config FILE} (any Hadoop file system URI), then {@code --set}, then the shortcut flags;
   * validated.
   */
  static TreeMap<String, String> settings(Args a, Configuration hadoop) throws IOException {
    TreeMap<String, String> s = new TreeMap<>();
    if (a.get("config") != null) {
      String file = a.get("config");
      Path p = new Path(file);
      String text;
      try (InputStream in = p.getFileSystem(hadoop).open(p)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.io.FileNotFoundException e) {
        throw new IllegalArgumentException("--config " + file + ": no such file");
      }
      s.putAll(SftConfig.parseFile(text, file));
    }
    for (String kv : a.sets) {
      Map.Entry<String, String> e = SftConfig.parseSetting(kv);
      s.put(e.getKey(), e.getValue());
    }
    if (a.get("chat-template") != null) s.put(SftConfig.CHAT_TEMPLATE, a.get("chat-template"));
    if (a.get("format") != null) s.put(SftConfig.FORMAT, a.get("format"));
    SftConfig.fromMap(s); // fail fast on a bad key or value
    return s;
  }

  /** The arguments of {@code run}, checked for unknown flags and the three required ones. */
  static Args runArgs(String[] argv) {
    Args a = Args.parse(argv, Set.of("force"), Set.of("input", "output", "tokenizer", "config", "chat-template",
        "format", "master", "keep"));
    a.require("input");
    a.require("output");
    a.require("tokenizer");
    if (a.get("keep") != null) Integer.parseInt(a.get("keep"));
    return a;
  }

  static int runJob(String[] argv) throws Exception {
    Args a = runArgs(argv);
    WarmUp.start(a.require("tokenizer"), a.get("master"));
    SparkSession spark = session(a.get("master"));
    long t0 = System.nanoTime();
    RunResult r;
    try {
      // after the session: --config may name a file on a file system only the session's Hadoop settings reach
      RunOptions opts = new RunOptions(a.require("input"), a.require("output"), a.require("tokenizer"),
          settings(a, spark.sparkContext().hadoopConfiguration()), a.has("force"),
          a.get("keep") == null ? 0 : Integer.parseInt(a.get("keep")));
      r = SftJob.run(spark, opts);
    } finally {
      if (Host.current() == Host.OWN_JVM) spark.stop(); // a shared driver's session is the platform's to stop
    }
    System.out.println(r.message());
    if (!r.unchanged()) System.out.println((r.exitCode() == 0 ? "published " : "written (not published) ") + r.versionDir());
    System.out.printf("total wall time %.1f s%n", (System.nanoTime() - t0) / 1e9);
    return r.exitCode();
  }

  /** Samples a shard's sort keeps in memory before it writes a sorted run to disk. */
  static final int SORT_RUN_SAMPLES = 4096;

  /**
   * The Spark session: the one spark-submit configured, or an embedded {@code local[*]} one. Executors get the
   * environment DJL needs through {@code spark.executorEnv.*}; {@code file:} paths go through
   * {@link NioLocalFileSystem}.
   */
  public static SparkSession session(String master) {
    SparkConf conf = new SparkConf(true);
    if (master != null) conf.setMaster(master);
    if (!conf.contains("spark.master")) conf.setMaster("local[*]");
    conf.setIfMissing("spark.app.name", "sftprep");
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    // items are plain classes and records travel as bytes (Ser), so Kryo is safe and faster than Java here
    conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    conf.setIfMissing("spark.executorEnv.TOKENIZERS_PARALLELISM", "false");
    conf.setIfMissing("spark.executorEnv.OPT_OUT_TRACKING", "true");
    conf.setIfMissing("spark.hadoop.fs.file.impl", NioLocalFileSystem.class.getName());
    // a shard's samples are sorted by id before packing; sorted runs of this many go to disk and are merged, so a
    // task holds a few thousand samples, not its whole shard (which tied the heap a run needs to its shard size)
    conf.setIfMissing("spark.shuffle.spill.numElementsForceSpillThreshold", String.valueOf(SORT_RUN_SAMPLES));
    String djlCache = System.getenv("DJL_CACHE_DIR");
    conf.setIfMissing("spark.executorEnv.DJL_CACHE_DIR", djlCache != null ? djlCache : "/tmp/sftprep-djl");
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
