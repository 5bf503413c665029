package io.sftprep.job.bench;

import io.sftprep.job.cli.Main;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * What Spark itself costs before any work: the same session {@code sftprep run} makes (embedded {@code local[*]},
 * the same settings), one trivial job on every core, then stop. The benchmark's startup mode times this JVM from
 * start to exit against {@code sftprep run} on a small corpus.
 */
public final class SparkStartup {
  private SparkStartup() {}

  public static void main(String[] argv) {
    SparkSession spark = Main.session(null);
    int cores = Runtime.getRuntime().availableProcessors();
    long n = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(1, 2, 3, 4), cores).count();
    spark.stop();
    System.out.println("trivial job counted " + n);
    System.exit(0);
  }
}
