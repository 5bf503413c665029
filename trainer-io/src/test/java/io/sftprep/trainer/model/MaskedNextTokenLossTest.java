package io.sftprep.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import io.sftprep.trainer.JobOutput;
import io.sftprep.trainer.dataset.ShardDataset;
import io.sftprep.trainer.example.CompactVocabulary;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class MaskedNextTokenLossTest {
  private final MaskedNextTokenLoss loss = new MaskedNextTokenLoss();

  /**
   * Plain Java, in double: mean over (b, t) with labels[b][t+1] != -100 of
   * -(logits[b][t][y] - logsumexp(logits[b][t])), y = labels[b][t+1].
   */
  static double[] javaLoss(float[] logits, long[] labels, int b, int t, int v) {
    double sum = 0;
    int count = 0;
    double[] perToken = new double[b * (t - 1)];
    for (int r = 0; r < b; r++) {
      for (int i = 0; i + 1 < t; i++) {
        long y = labels[r * t + i + 1];
        if (y == -100) continue;
        int off = (r * t + i) * v;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < v; k++) max = Math.max(max, logits[off + k]);
        double z = 0;
        for (int k = 0; k < v; k++) z += Math.exp(logits[off + k] - max);
        double nll = -(logits[off + (int) y] - max - Math.log(z));
        perToken[r * (t - 1) + i] = nll;
        sum += nll;
        count++;
      }
    }
    double[] out = new double[perToken.length + 1];
    out[0] = count == 0 ? 0 : sum / count;
    System.arraycopy(perToken, 0, out, 1, perToken.length);
    return out;
  }

  @Test
  void shiftsByOneIgnoresMinus100AndAveragesOverTrainedTokens() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      // position 0 predicts labels[1] = 2 with p = 1/2; position 1 predicts labels[2] = 1 with p = 1/3;
      // position 2 predicts nothing (last); labels[0] is never a target
      NDArray logits = m.create(new float[] {0, 0, (float) Math.log(2), 0, 0, 0, 9, 9, 9}, new Shape(1, 3, 3));
      NDArray labels = m.create(new long[] {0, 2, 1}, new Shape(1, 3));
      float value = loss.evaluate(new NDList(labels), new NDList(logits)).getFloat();
      assertEquals((Math.log(2) + Math.log(3)) / 2, value, 1e-6);

      NDArray oneIgnored = m.create(new long[] {5, -100, 1}, new Shape(1, 3));
      assertEquals(Math.log(3), loss.evaluate(new NDList(oneIgnored), new NDList(logits)).getFloat(), 1e-6);

      NDArray none = m.create(new long[] {-100, -100, -100}, new Shape(1, 3));
      assertEquals(0f, loss.evaluate(new NDList(none), new NDList(logits)).getFloat());
    }
  }

  /** On the job's own rows and a real model's logits, the DJL loss is the plain-Java loss to 1e-5. */
  @Test
  void djlLossEqualsPlainJavaFromTheSameLogits() throws IOException {
    String root = JobOutput.root().toUri().toString();
    CompactVocabulary vocab = CompactVocabulary.scan(root);
    ShardDataset data = ShardDataset.builder().setRoot(root).setBatchSize(3).optTransform(vocab::apply)
        .optPadTokenId(vocab.padTokenId()).build();
    data.prepare(null);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      ModelFixture f = new ModelFixture(m, vocab.size(), 32, 2, 512, 11);
      int batches = 0;
      double worst = 0;
      for (Batch batch : data.getData(m)) {
        NDArray logits = f.logits(batch.getData());
        NDArray labels = batch.getLabels().head();
        long[] shape = logits.getShape().getShape();
        double[] java = javaLoss(logits.toFloatArray(), labels.toLongArray(), (int) shape[0], (int) shape[1],
            (int) shape[2]);
        float djl = loss.evaluate(batch.getLabels(), new NDList(logits)).getFloat();
        assertEquals(java[0], djl, 1e-5, "batch " + batches);
        float[] perToken = loss.perToken(labels, logits)[0].toFloatArray();
        for (int i = 0; i < perToken.length; i++) {
          assertEquals(java[i + 1], perToken[i], 1e-5, "token " + i + " of batch " + batches);
          worst = Math.max(worst, Math.abs(java[i + 1] - perToken[i]));
        }
        assertTrue(djl > 1, "an untrained model's loss is near ln(vocab): " + djl);
        batch.close();
        batches++;
      }
      assertEquals(7, batches);
      System.out.printf("loss parity: %d batches, vocabulary %d, largest per-token difference %.2e%n",
          batches, vocab.size(), worst);
    }
  }
}
