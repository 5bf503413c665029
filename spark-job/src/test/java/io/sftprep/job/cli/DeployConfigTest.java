package io.sftprep.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sftprep.core.json.Json;
import io.sftprep.job.SftJob;
import io.sftprep.udfs.SftFunctions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.DataType;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deploy files describe a job that can run: the Databricks bundle and the Jobs API JSON (main class, the
 * {@code run} parameters as Main parses them, input, output and tokenizer on volumes, the shaded jar, a nightly
 * quartz schedule, the JDK 17 module flags and DJL's environment), the notebooks (Databricks source format,
 * registering every function with its class and return type), and the spark-submit confs.
 */
class DeployConfigTest {
  static final String JAR = "sftprep-job-" + SftJob.VERSION + "-all.jar";

  static Path root() {
    String p = System.getProperty("sftprep.repo.root");
    return p != null ? Paths.get(p) : Paths.get("..").toAbsolutePath().normalize();
  }

  static String read(String relative) throws IOException {
    return Files.readString(root().resolve(relative), StandardCharsets.UTF_8);
  }

  /** The module flags of the root pom's spark.jvm.opens, one per element. */
  static List<String> jvmOpens() throws IOException {
    Matcher m = Pattern.compile("<spark.jvm.opens>([^<]+)</spark.jvm.opens>").matcher(read("pom.xml"));
    assertTrue(m.find(), "spark.jvm.opens in pom.xml");
    List<String> flags = Arrays.asList(m.group(1).trim().split("\\s+"));
    assertTrue(flags.stream().filter(f -> f.startsWith("--add-opens=")).count() >= 10, flags::toString);
    return flags;
  }

  static void assertHasAll(List<String> flags, String javaOptions, String where) {
    List<String> got = Arrays.asList(javaOptions.trim().split("\\s+"));
    for (String f : flags) assertTrue(got.contains(f), where + " lacks " + f + ": " + javaOptions);
  }

  /** The bundle with {@code ${var.x}} replaced by the variables' defaults. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> bundle() throws IOException {
    Map<String, Object> b = new Yaml().load(read("deploy/databricks/databricks.yml"));
    Map<String, Object> vars = (Map<String, Object>) b.get("variables");
    Map<String, Object> values = new TreeMap<>();
    vars.forEach((k, v) -> values.put(k, ((Map<String, Object>) v).get("default")));
    return (Map<String, Object>) resolve(b, values);
  }

  @SuppressWarnings("unchecked")
  static Object resolve(Object v, Map<String, Object> vars) {
    if (v instanceof String) {
      Matcher m = Pattern.compile("\\$\\{var\\.([a-z_]+)}").matcher((String) v);
      if (m.matches() && vars.containsKey(m.group(1))) return vars.get(m.group(1)); // a whole value keeps its type
      m.reset();
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        Object value = vars.get(m.group(1));
        assertNotNull(value, "bundle variable " + m.group(1) + " is not declared");
        m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf(value)));
      }
      m.appendTail(sb);
      return sb.toString();
    }
    if (v instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<String, Object>) v).forEach((k, x) -> out.put(k, resolve(x, vars)));
      return out;
    }
    if (v instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object x : (List<Object>) v) out.add(resolve(x, vars));
      return out;
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object m, String... path) {
    Object v = m;
    for (String p : path) {
      assertTrue(v instanceof Map, "expected an object at " + p);
      v = ((Map<String, Object>) v).get(p);
      assertNotNull(v, "missing " + String.join(".", path));
    }
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> m, String key) {
    Object v = m.get(key);
    assertTrue(v instanceof List, "expected a list at " + key + ", got " + v);
    return (List<Object>) v;
  }

  static Map<String, Object> bundleJob() throws IOException {
    return map(bundle(), "resources", "jobs", "sftprep_nightly");
  }

  static Map<String, Object> apiJob() throws Exception {
    return Json.parseObject(read("deploy/databricks/sftprep-nightly.job.json"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> onlyTask(Map<String, Object> job) {
    List<Object> tasks = list(job, "tasks");
    assertEquals(1, tasks.size());
    return (Map<String, Object>) tasks.get(0);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> cluster(Map<String, Object> job, Map<String, Object> task) {
    for (Object c : list(job, "job_clusters")) {
      Map<String, Object> jc = (Map<String, Object>) c;
      if (jc.get("job_cluster_key").equals(task.get("job_cluster_key"))) return map(jc, "new_cluster");
    }
    return fail("no job cluster " + task.get("job_cluster_key"));
  }

  /** Checks one job definition (bundle or API JSON) for everything the run needs. */
  @SuppressWarnings("unchecked")
  static void assertRunnableJob(Map<String, Object> job, String where) throws Exception {
    Map<String, Object> task = onlyTask(job);
    Map<String, Object> jar = map(task, "spark_jar_task");
    assertEquals(Main.class.getName(), jar.get("main_class_name"), where);
    List<String> params = new ArrayList<>();
    for (Object p : list(jar, "parameters")) params.add(String.valueOf(p));
    assertEquals("run", params.get(0), where + ": the first parameter is the command");
    Args a = Main.runArgs(params.subList(1, params.size()).toArray(new String[0]));
    for (String opt : List.of("input", "output", "tokenizer")) {
      assertTrue(a.get(opt).startsWith("/Volumes/"), where + ": --" + opt + " on a volume, got " + a.get(opt));
    }
    assertEquals(1, ((Number) job.get("max_concurrent_runs")).intValue(), where + ": one refresh at a time");

    List<Object> libs = list(task, "libraries");
    assertEquals(1, libs.size());
    String lib = String.valueOf(((Map<String, Object>) libs.get(0)).get("jar"));
    assertTrue(lib.endsWith("/" + JAR), where + ": the shaded jar as library, got " + lib);

    Map<String, Object> schedule = map(job, "schedule");
    String[] cron = String.valueOf(schedule.get("quartz_cron_expression")).split(" ");
    assertTrue(cron.length == 6 || cron.length == 7, where + ": quartz cron has 6 or 7 fields");
    for (int i = 0; i < 3; i++) assertTrue(cron[i].matches("\\d+"), where + ": a fixed time of day: " + cron[i]);
    assertTrue(cron[3].equals("*") && cron[5].equals("?"), where + ": every day");
    assertEquals("UTC", schedule.get("timezone_id"));
    assertEquals("UNPAUSED", schedule.get("pause_status"));

    Map<String, Object> cluster = cluster(job, task);
    assertTrue(String.valueOf(cluster.get("spark_version")).contains("scala2.13"), where + ": a Scala 2.13 runtime");
    Map<String, Object> conf = map(cluster, "spark_conf");
    for (String k : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")) {
      assertHasAll(jvmOpens(), String.valueOf(conf.get(k)), where + " " + k);
    }
    Map<String, Object> env = map(cluster, "spark_env_vars");
    for (Map<String, Object> m : List.of(env, executorEnv(conf))) {
      assertEquals("false", m.get("TOKENIZERS_PARALLELISM"), where);
      assertEquals("true", m.get("OPT_OUT_TRACKING"), where);
      assertTrue(String.valueOf(m.get("DJL_CACHE_DIR")).startsWith("/local_disk0/"), where + ": DJL on local disk");
    }
  }

  static Map<String, Object> executorEnv(Map<String, Object> conf) {
    Map<String, Object> out = new TreeMap<>();
    conf.forEach((k, v) -> {
      if (k.startsWith("spark.executorEnv.")) out.put(k.substring("spark.executorEnv.".length()), v);
    });
    return out;
  }

  @Test
  void bundleJobRunsMainWithEverythingItNeeds() throws Exception {
    assertRunnableJob(bundleJob(), "databricks.yml");
  }

  @Test
  void jobsApiJsonRunsMainWithEverythingItNeeds() throws Exception {
    assertRunnableJob(apiJob(), "sftprep-nightly.job.json");
  }

  @Test
  @SuppressWarnings("unchecked")
  void bundleAndJobsApiJsonAreTheSameJob() throws Exception {
    Map<String, Object> b = bundleJob();
    Map<String, Object> j = apiJob();
    for (String k : List.of("name", "max_concurrent_runs", "schedule")) {
      assertEquals(normalizeNumbers(j.get(k)), normalizeNumbers(b.get(k)), k);
    }
    Map<String, Object> bt = new LinkedHashMap<>(onlyTask(b));
    Map<String, Object> jt = new LinkedHashMap<>(onlyTask(j));
    // the bundle uploads the jar it builds to artifact_path; the API JSON names the uploaded file
    bt.remove("libraries");
    jt.remove("libraries");
    assertEquals(normalizeNumbers(jt), normalizeNumbers(bt));
    assertEquals(normalizeNumbers(cluster(j, onlyTask(j))), normalizeNumbers(cluster(b, onlyTask(b))));
    String uploaded = String.valueOf(((Map<String, Object>) list(onlyTask(j), "libraries").get(0)).get("jar"));
    assertEquals(map(bundle(), "workspace").get("artifact_path") + "/" + JAR, uploaded);
  }

  @Test
  @SuppressWarnings("unchecked")
  void bundleBuildsTheShadedJarItAttaches() throws Exception {
    Map<String, Object> art = map(bundle(), "artifacts", "sftprep_jar");
    assertEquals("jar", art.get("type"));
    assertTrue(String.valueOf(art.get("build")).contains("package -pl spark-job -am"), String.valueOf(art.get("build")));
    String source = String.valueOf(((Map<String, Object>) list(art, "files").get(0)).get("source"));
    String lib = String.valueOf(((Map<String, Object>) list(onlyTask(bundleJob()), "libraries").get(0)).get("jar"));
    assertEquals(source, lib);
    Path bundleDir = root().resolve("deploy/databricks");
    assertEquals(root().resolve("spark-job/target/" + JAR), bundleDir.resolve(source).normalize());
    assertEquals(root(), bundleDir.resolve(String.valueOf(art.get("path"))).normalize());
  }

  /** YAML reads 2 as Integer, JSON as Long. */
  @SuppressWarnings("unchecked")
  static Object normalizeNumbers(Object v) {
    if (v instanceof Integer) return ((Integer) v).longValue();
    if (v instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<String, Object>) v).forEach((k, x) -> out.put(k, normalizeNumbers(x)));
      return out;
    }
    if (v instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object x : (List<Object>) v) out.add(normalizeNumbers(x));
      return out;
    }
    return v;
  }

  /** The {@code (name, class, ddl)} triples a notebook passes to {@code registerJavaFunction}. */
  static Map<String, String[]> registrations(String notebook) {
    String code = notebook.replaceAll("(?m)^-- MAGIC ?", "").replaceAll("(?m)^# MAGIC ?", "");
    Matcher m = Pattern.compile("\\(\\s*\"(sft_\\w+)\",\\s*\"([\\w.]+)\",\\s*\"([^\"]+)\"\\s*\\)").matcher(code);
    Map<String, String[]> out = new TreeMap<>();
    while (m.find()) out.put(m.group(1), new String[] {m.group(2), m.group(3)});
    return out;
  }

  @Test
  void notebooksAreDatabricksSourceFilesThatRegisterEveryFunction() throws Exception {
    String py = read("deploy/databricks/notebooks/sftprep_udfs.py");
    String sql = read("deploy/databricks/notebooks/sftprep_udfs.sql");
    assertTrue(py.startsWith("# Databricks notebook source\n"), "python notebook header");
    assertTrue(sql.startsWith("-- Databricks notebook source\n"), "SQL notebook header");
    assertTrue(py.split("\n# COMMAND ----------\n", -1).length >= 4, "python cells");
    assertTrue(sql.split("\n-- COMMAND ----------\n", -1).length >= 4, "SQL cells");
    for (String nb : List.of(py, sql)) {
      assertTrue(nb.contains("spark.udf.registerJavaFunction(name, class_name, ddl)"));
      assertTrue(nb.contains("spark.conf.set(\"" + SftFunctions.CONF_PREFIX + SftFunctions.TOKENIZER + "\""));
      Map<String, String[]> regs = registrations(nb);
      assertEquals(SftFunctions.Fn.values().length, regs.size(), regs.keySet().toString());
      for (SftFunctions.Fn f : SftFunctions.Fn.values()) {
        String[] r = regs.get(f.sqlName());
        assertNotNull(r, f.sqlName() + " is registered");
        assertEquals(f.className(), r[0]);
        Class<?> c = Class.forName(r[0]);
        assertNotNull(c.getConstructor(), r[0] + " has the no-argument constructor registerJavaFunction calls");
        assertEquals(f.returnType(), DataType.fromDDL(r[1]), f.sqlName() + " return type");
      }
    }
  }

  @Test
  void sparkSubmitConfsCarryTheModuleFlagsAndDjlEnvironment() throws Exception {
    Properties common = new Properties();
    common.load(new java.io.StringReader(read("deploy/spark-submit/conf/common.conf")));
    assertHasAll(jvmOpens(), common.getProperty("spark.driver.extraJavaOptions"), "common.conf driver");
    assertHasAll(jvmOpens(), common.getProperty("spark.executor.extraJavaOptions"), "common.conf executor");
    assertTrue(common.getProperty("spark.executor.extraJavaOptions").contains("-Dlog4j2.configurationFile=log4j2.properties"));
    assertEquals("false", common.getProperty("spark.executorEnv.TOKENIZERS_PARALLELISM"));
    assertEquals("true", common.getProperty("spark.executorEnv.OPT_OUT_TRACKING"));
    assertNotNull(common.getProperty("spark.executorEnv.DJL_CACHE_DIR"));
    for (String target : List.of("standalone", "yarn", "k8s")) {
      Properties p = new Properties();
      p.putAll(common);
      p.load(new java.io.StringReader(read("deploy/spark-submit/conf/" + target + ".conf")));
      assertHasAll(jvmOpens(), p.getProperty("spark.driver.extraJavaOptions"), target);
      assertHasAll(jvmOpens(), p.getProperty("spark.executor.extraJavaOptions"), target);
      assertNotNull(p.getProperty("spark.submit.deployMode"), target);
    }
    Properties k8s = new Properties();
    k8s.load(new java.io.StringReader(read("deploy/spark-submit/conf/k8s.conf")));
    assertEquals("false", k8s.getProperty("spark.kubernetes.driverEnv.TOKENIZERS_PARALLELISM"));
    Properties yarn = new Properties();
    yarn.load(new java.io.StringReader(read("deploy/spark-submit/conf/yarn.conf")));
    assertEquals("false", yarn.getProperty("spark.yarn.appMasterEnv.TOKENIZERS_PARALLELISM"));
  }

  @Test
  void launcherAndPomAgreeOnTheModuleFlags() throws Exception {
    String launcher = read("deploy/bin/sftprep");
    for (String f : jvmOpens()) assertTrue(launcher.contains(f), "deploy/bin/sftprep lacks " + f);
  }

  @Test
  void deployScriptsAreValidBash() throws Exception {
    for (String s : List.of("deploy/bin/sftprep", "deploy/spark-submit/submit.sh", "deploy/cron/sftprep-nightly")) {
      Process p = new ProcessBuilder("bash", "-n", root().resolve(s).toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), s + ": " + out);
      assertTrue(Files.isExecutable(root().resolve(s)), s + " is executable");
    }
  }
}
