package io.sftprep.trainer.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.trainer.JobOutput;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class TrainTinyLmTest {
  /** Five Adam steps on the job's shards lower the loss of the first batch (seen again after the fifth step). */
  @Test
  void fiveStepsOnAJobShardLowerTheLoss() throws IOException {
    TrainTinyLm.Settings s = TrainTinyLm.Settings.defaults(JobOutput.root().toUri().toString());
    TrainTinyLm.Result r = TrainTinyLm.train(s);
    assertEquals(5, r.steps().size());
    for (TrainTinyLm.Step st : r.steps()) {
      System.out.printf("step %d loss %.4f tokens %d trained %d %.3f s %,.0f tokens/s%n", st.step(), st.loss(),
          st.tokens(), st.trainedTokens(), st.seconds(), st.tokensPerSecond());
      assertTrue(st.trainedTokens() > 0);
    }
    System.out.printf("first batch loss %.4f -> %.4f on %s, vocabulary %d%n", r.firstBatchLossBefore(),
        r.firstBatchLossAfter(), r.device(), r.vocab());
    assertEquals(r.steps().get(0).loss(), r.firstBatchLossBefore(), 1e-4, "step 1 trains on the first batch");
    assertTrue(r.firstBatchLossAfter() < 0.9 * r.firstBatchLossBefore(),
        "loss " + r.firstBatchLossBefore() + " -> " + r.firstBatchLossAfter());
  }
}
