package io.sftprep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.udfs.PreprocessorPool;
import io.sftprep.udfs.PreprocessorSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * In Spark tasks, every call of a task gets the same preprocessor, and tasks give theirs back when they end: 12
 * tasks on {@code local[2]} use at most two, whichever threads Spark runs them on.
 */
class TaskPreprocessorsTest {
  @Test
  void aTaskKeepsOneAndTasksShareAtMostOnePerCore() throws Exception {
    PreprocessorSpec spec = PreprocessorSpec.resolve(SparkTestSupport.tokenizer("qwen3").toUri().toString(),
        Map.of("template.now", "2026-04-01T00:00"), new Configuration());
    SparkSession spark = SparkTestSupport.session("local[2]");
    List<int[]> perTask;
    try {
      List<Integer> parts = new ArrayList<>();
      for (int i = 0; i < 12; i++) parts.add(i);
      perTask = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(parts, 12)
          .map(i -> new int[] {System.identityHashCode(PreprocessorPool.forTask(spec)),
              System.identityHashCode(PreprocessorPool.forTask(spec))})
          .collect();
    } finally {
      spark.stop();
    }
    HashSet<Integer> distinct = new HashSet<>();
    for (int[] t : perTask) {
      assertEquals(t[0], t[1], "one preprocessor per task");
      distinct.add(t[0]);
    }
    assertEquals(12, perTask.size());
    assertTrue(distinct.size() <= 2, "12 tasks on 2 cores used " + distinct.size() + " preprocessors");
  }
}
