package io.sftprep.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;

/** Local Spark sessions and shared paths for the job's tests. */
final class SparkTestSupport {
  private SparkTestSupport() {}

  static Path repoRoot() {
    String p = System.getProperty("sftprep.repo.root");
    return p != null ? Paths.get(p) : Paths.get("..").toAbsolutePath().normalize();
  }

  static Path tokenizer(String name) {
    String cache = System.getenv("SFTPREP_CACHE");
    Path base = cache != null ? Paths.get(cache) : Paths.get(System.getProperty("user.home"), ".cache", "sftprep");
    Path dir = base.resolve("tokenizers").resolve(name);
    Assumptions.assumeTrue(Files.exists(dir.resolve("tokenizer.json")), "skipped: tokenizer " + name
        + " not fetched; run deploy/bin/sftprep fetch-tokenizer " + name);
    return dir;
  }

  static Path fixture(String relative) {
    String env = System.getenv("SFTPREP_FIXTURES");
    Path base = env != null ? Paths.get(env) : repoRoot().resolveSibling("shared").resolve("fixtures");
    Path p = base.resolve(relative);
    Assumptions.assumeTrue(Files.exists(p), "skipped: shared fixture " + p + " is not present");
    return p;
  }

  static SparkSession session(String master) {
    return session(master, java.util.Map.of());
  }

  /** A session with {@code extra} settings on top (static ones such as the warehouse folder included). */
  static SparkSession session(String master, java.util.Map<String, String> extra) {
    SparkConf conf = new SparkConf()
        .setMaster(master)
        .setAppName("sftprep-test")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.sql.shuffle.partitions", "4")
        .set("spark.hadoop.fs.file.impl", io.sftprep.job.write.NioLocalFileSystem.class.getName())
        .set("spark.serializer", System.getProperty("sftprep.test.serializer",
            "org.apache.spark.serializer.KryoSerializer"));
    extra.forEach(conf::set);
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
