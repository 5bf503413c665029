package io.sftprep.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The warm-up opens as many tokenizers as the run's JVM will use: one per local task, else the driver's. */
class WarmUpTest {
  @ParameterizedTest(name = "{0} on {1} cores -> {2}")
  @CsvSource(delimiter = '|', value = {
      "local[*]          | 2  | 2",
      "local[*]          | 16 | 16",
      "local[4]          | 2  | 4",
      "local[4,2]        | 2  | 4",
      "local[*,3]        | 8  | 8",
      "local             | 8  | 1",
      "local[0]          | 8  | 1",
      "spark://h:7077    | 8  | 1",
      "yarn              | 8  | 1",
      "k8s://https://h:1 | 8  | 1",
      "local-cluster[2,1,1024] | 8 | 1",
  })
  void tokenizersNeeded(String master, int cores, int expected) {
    assertEquals(expected, WarmUp.tokenizersNeeded(master, cores));
  }
}
