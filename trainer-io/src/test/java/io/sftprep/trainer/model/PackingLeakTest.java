package io.sftprep.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.sftprep.trainer.batch.AttentionLayout;
import io.sftprep.trainer.batch.PackedBatch;
import io.sftprep.trainer.batch.Padding;
import io.sftprep.trainer.read.ShardRow;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The proof that packing leaks nothing: the same samples, packed into rows (block-diagonal mask, restarted
 * positions) or one per row, give the same loss at every trained token. The controls show the comparison would
 * catch a leak: without the block mask, or with positions that do not restart, the packed losses differ.
 */
class PackingLeakTest {
  private static final int VOCAB = 50;
  private static final int[] LENGTHS = {7, 5, 9, 6, 8};
  private static final double TOLERANCE = 1e-4;

  private record Sample(int[] ids, int[] labels) {}

  private static List<Sample> samples() {
    Random rnd = new Random(5);
    List<Sample> out = new ArrayList<>();
    for (int len : LENGTHS) {
      int[] ids = new int[len];
      int[] labels = new int[len];
      for (int i = 0; i < len; i++) {
        ids[i] = rnd.nextInt(VOCAB);
        // the first token and a short "prompt" are not trained
        labels[i] = i < 2 ? -100 : ids[i];
      }
      out.add(new Sample(ids, labels));
    }
    return out;
  }

  /** One row holding {@code samples[from..to)}; positions restart unless {@code continuous}; one block unless {@code blocks}. */
  private static ShardRow row(List<Sample> samples, int from, int to, boolean blocks, boolean continuous) {
    int n = 0;
    for (int s = from; s < to; s++) n += samples.get(s).ids().length;
    int[] ids = new int[n];
    int[] labels = new int[n];
    int[] pos = new int[n];
    int[] lens = new int[to - from];
    int at = 0;
    for (int s = from; s < to; s++) {
      Sample x = samples.get(s);
      for (int i = 0; i < x.ids().length; i++) {
        ids[at] = x.ids()[i];
        labels[at] = x.labels()[i];
        pos[at] = continuous ? at : i;
        at++;
      }
      lens[s - from] = x.ids().length;
    }
    int[] seqLens = blocks ? lens : new int[] {n};
    int trained = 0;
    for (int l : labels) if (l != -100) trained++;
    return new ShardRow(0, from, ids, labels, pos, seqLens, new long[seqLens.length], n, trained);
  }

  /** Per-token loss of each sample's targets (t = 1..len-1; NaN where not trained), in sample order. */
  private static List<double[]> perSampleLoss(ModelFixture f, List<ShardRow> rows, List<Sample> samples) {
    PackedBatch pb = PackedBatch.of(rows, Padding.longest(), 0);
    try (NDManager scope = f.manager.newSubManager()) {
      NDArray logits = f.logits(pb.data(scope, EnumSet.of(AttentionLayout.BLOCK_MASK)));
      NDArray[] nll = new MaskedNextTokenLoss().perToken(pb.labels(scope).head(), logits);
      float[] values = nll[0].toFloatArray();
      int width = pb.length() - 1;
      List<double[]> out = new ArrayList<>();
      int s = 0;
      for (int r = 0; r < rows.size(); r++) {
        int offset = 0;
        int samplesInRow = rows.get(r).numTokens();
        while (offset < samplesInRow) {
          Sample x = samples.get(s++);
          double[] d = new double[x.ids().length];
          d[0] = Double.NaN;
          for (int t = 1; t < x.ids().length; t++) {
            d[t] = x.labels()[t] == -100 ? Double.NaN : values[r * width + offset + t - 1];
          }
          out.add(d);
          offset += x.ids().length;
        }
      }
      return out;
    }
  }

  private static double maxDifference(List<double[]> a, List<double[]> b) {
    double max = 0;
    int compared = 0;
    for (int s = 0; s < a.size(); s++) {
      for (int t = 0; t < a.get(s).length; t++) {
        if (Double.isNaN(a.get(s)[t])) continue;
        max = Math.max(max, Math.abs(a.get(s)[t] - b.get(s)[t]));
        compared++;
      }
    }
    assertEquals(LENGTHS.length * 0 + java.util.Arrays.stream(LENGTHS).map(l -> l - 2).sum(), compared);
    return max;
  }

  @Test
  void packedAndUnpackedGiveTheSameLossAtEveryTrainedToken() {
    List<Sample> samples = samples();
    List<ShardRow> unpacked = new ArrayList<>();
    for (int s = 0; s < samples.size(); s++) unpacked.add(row(samples, s, s + 1, true, false));
    List<ShardRow> packed = List.of(row(samples, 0, 3, true, false), row(samples, 3, 5, true, false));
    List<ShardRow> noBlockMask = List.of(row(samples, 0, 3, false, false), row(samples, 3, 5, false, false));
    List<ShardRow> noRestart = List.of(row(samples, 0, 3, true, true), row(samples, 3, 5, true, true));

    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      ModelFixture f = new ModelFixture(m, VOCAB, 32, 4, 32, 3);
      List<double[]> alone = perSampleLoss(f, unpacked, samples);
      double packing = maxDifference(alone, perSampleLoss(f, packed, samples));
      double leakMask = maxDifference(alone, perSampleLoss(f, noBlockMask, samples));
      double leakPositions = maxDifference(alone, perSampleLoss(f, noRestart, samples));
      System.out.printf("packed vs unpacked: max per-token loss difference %.2e (tolerance %.0e); "
          + "without block mask %.2e; without restarted positions %.2e%n", packing, TOLERANCE, leakMask,
          leakPositions);
      assertTrue(packing <= TOLERANCE, "packing changed a token's loss by " + packing);
      assertTrue(leakMask > 100 * TOLERANCE, "the comparison must see attention across samples: " + leakMask);
      assertTrue(leakPositions > 100 * TOLERANCE, "the comparison must see unrestarted positions: " + leakPositions);
    }
  }
}
