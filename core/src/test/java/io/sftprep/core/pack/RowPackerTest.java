package io.sftprep.core.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.config.PackOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Packing as literal tables, then properties over random lengths. */
class RowPackerTest {
  static PackOptions opts(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return SftConfig.fromMap(m).pack();
  }

  static PackSample sample(long id, int[] ids, int[] labels) {
    return PackSample.of(id, ids, labels, "f.jsonl", id);
  }

  /** A sample keeps one bit per token; labels other than the token's id or -100 have no bit and are refused. */
  @Test
  void aSampleKeepsItsLabelsAsBitsAndRefusesOtherLabels() {
    PackSample s = sample(1, new int[] {5, 6, 7, 8, 9, 10, 11, 12, 13}, new int[] {-100, 6, 7, -100, -100, 10, 11,
        12, 13});
    assertArrayEquals(new byte[] {(byte) 0b11100110, 0b1}, s.trainedBits());
    assertArrayEquals(new int[] {-100, 6, 7, -100, -100, 10, 11, 12, 13}, s.labels());
    assertThrows(IllegalArgumentException.class, () -> sample(2, new int[] {5, 6}, new int[] {-100, 7}));
    assertThrows(IllegalArgumentException.class, () -> sample(3, new int[] {5, 6}, new int[] {-100}));
    assertThrows(IllegalArgumentException.class, () -> new PackSample(4, new int[] {5, 6}, new byte[2], "f", 4));
  }

  @Test
  void twoSamplesLaidEndToEndWithRestartedPositionsAndBlankedFirstLabels() {
    List<PackedRow> rows = new ArrayList<>();
    RowPacker p = new RowPacker(opts("pack.seq-length", "8"), 0, rows::add);
    p.add(sample(1, new int[] {7, 8, 9}, new int[] {7, 8, 9}));
    p.add(sample(2, new int[] {5, 6}, new int[] {-100, 6}));
    p.flush();
    assertEquals(1, rows.size());
    PackedRow r = rows.get(0);
    assertArrayEquals(new int[] {7, 8, 9, 5, 6}, r.inputIds());
    assertArrayEquals(new int[] {-100, 8, 9, -100, 6}, r.labels());
    assertArrayEquals(new int[] {0, 1, 2, 0, 1}, r.positionIds());
    assertArrayEquals(new int[] {3, 2}, r.seqLens());
    assertArrayEquals(new long[] {1, 2}, r.sampleIds());
    assertEquals(5, r.numTokens());
    assertEquals(3, r.numTrained());
  }

  @Test
  void bestFitDecreasingFillsTheTightestRow() {
    // lengths 5, 4, 3, 2 into rows of 7: longest first -> {5}, {4}; 3 fits best in {4} (room 3), 2 in {5}
    List<int[]> bins = BfdPacker.pack(new long[] {10, 11, 12, 13}, new int[] {3, 5, 2, 4}, 7);
    assertEquals(2, bins.size());
    assertArrayEquals(new int[] {1, 2}, bins.get(0)); // 5 + 2
    assertArrayEquals(new int[] {3, 0}, bins.get(1)); // 4 + 3
  }

  @Test
  void bfdIsIndependentOfInputOrder() {
    long[] ids = {1, 2, 3, 4, 5, 6};
    int[] lens = {4, 4, 3, 3, 2, 6};
    List<int[]> a = BfdPacker.pack(ids, lens, 8);
    long[] ids2 = {6, 5, 4, 3, 2, 1};
    int[] lens2 = {6, 2, 3, 3, 4, 4};
    List<int[]> b = BfdPacker.pack(ids2, lens2, 8);
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      long[] x = Arrays.stream(a.get(i)).mapToLong(k -> ids[k]).toArray();
      long[] y = Arrays.stream(b.get(i)).mapToLong(k -> ids2[k]).toArray();
      assertArrayEquals(x, y);
    }
  }

  @Test
  void padToMultipleUsesPadIdAndIgnoredLabelsAndContinuesPositions() {
    List<PackedRow> rows = new ArrayList<>();
    RowPacker p = new RowPacker(opts("pack.seq-length", "16", "pack.pad-to", "8"), 99, rows::add);
    p.add(sample(1, new int[] {1, 2, 3}, new int[] {1, 2, 3}));
    p.flush();
    PackedRow r = rows.get(0);
    assertArrayEquals(new int[] {1, 2, 3, 99, 99, 99, 99, 99}, r.inputIds());
    assertArrayEquals(new int[] {-100, 2, 3, -100, -100, -100, -100, -100}, r.labels());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, r.positionIds());
    assertArrayEquals(new int[] {3}, r.seqLens());
    assertEquals(3, r.numTokens());
  }

  @Test
  void padToSeqLength() {
    List<PackedRow> rows = new ArrayList<>();
    RowPacker p = new RowPacker(opts("pack.seq-length", "6", "pack.pad-to", "seq-length"), 0, rows::add);
    p.add(sample(1, new int[] {4, 5}, new int[] {4, 5}));
    p.flush();
    assertEquals(6, rows.get(0).length());
  }

  @Test
  void strategyNoneMakesOneRowPerSample() {
    List<PackedRow> rows = new ArrayList<>();
    RowPacker p = new RowPacker(opts("pack.strategy", "none", "pack.seq-length", "8"), 0, rows::add);
    p.add(sample(1, new int[] {1, 2}, new int[] {1, 2}));
    p.add(sample(2, new int[] {3}, new int[] {3}));
    p.flush();
    assertEquals(2, rows.size());
    assertArrayEquals(new int[] {2}, rows.get(0).seqLens());
  }

  @Test
  void aSampleLongerThanTheRowIsRefused() {
    RowPacker p = new RowPacker(opts("pack.seq-length", "4"), 0, r -> { });
    assertThrows(IllegalArgumentException.class, () -> p.add(sample(1, new int[5], new int[5])));
  }

  @Test
  void bfdNeverSplitsASampleAndKeepsEveryInvariantOnRandomLengths() {
    Random rnd = new Random(42);
    for (int trial = 0; trial < 200; trial++) {
      int seq = 16 + rnd.nextInt(200);
      int window = 1 + rnd.nextInt(300);
      int n = rnd.nextInt(400);
      List<PackedRow> rows = new ArrayList<>();
      // the window's arrays: the real size, or small ones that samples cross and outgrow
      int chunk = trial % 2 == 0 ? RowPacker.CHUNK_TOKENS : 1 + rnd.nextInt(2 * seq);
      RowPacker p = new RowPacker(opts("pack.seq-length", Integer.toString(seq), "pack.window",
          Integer.toString(window)), 0, rows::add, chunk);
      Map<Long, int[]> samples = new HashMap<>();
      Map<Long, int[]> sampleLabels = new HashMap<>();
      for (int i = 0; i < n; i++) {
        int len = 1 + (rnd.nextDouble() < 0.8 ? rnd.nextInt(Math.max(1, seq / 4)) : rnd.nextInt(seq));
        int[] ids = new int[len];
        int[] labels = new int[len];
        for (int k = 0; k < len; k++) {
          ids[k] = rnd.nextInt(1000);
          labels[k] = rnd.nextBoolean() ? ids[k] : -100;
        }
        long id = rnd.nextLong() & Long.MAX_VALUE;
        samples.put(id, ids);
        sampleLabels.put(id, labels);
        p.add(PackSample.of(id, ids, labels, "f", i));
      }
      p.flush();
      Set<Long> seen = new HashSet<>();
      for (PackedRow r : rows) {
        assertTrue(r.length() <= seq, "row longer than seq-length");
        assertEquals(r.length(), Arrays.stream(r.seqLens()).sum(), "seq_lens sum to the row length");
        int at = 0;
        for (int k = 0; k < r.seqLens().length; k++) {
          assertTrue(seen.add(r.sampleIds()[k]), "sample appears twice");
          int[] ids = samples.get(r.sampleIds()[k]);
          assertEquals(ids.length, r.seqLens()[k], "a sample is never split");
          assertArrayEquals(ids, Arrays.copyOfRange(r.inputIds(), at, at + ids.length));
          assertEquals(-100, r.labels()[at], "first label of each sample is -100");
          int[] labels = sampleLabels.get(r.sampleIds()[k]);
          for (int i = 1; i < ids.length; i++) assertEquals(labels[i], r.labels()[at + i], "the sample's own labels");
          for (int i = 0; i < ids.length; i++) assertEquals(i, r.positionIds()[at + i], "positions restart");
          at += ids.length;
        }
      }
      assertEquals(samples.keySet(), seen, "every sample appears exactly once");
    }
  }
}
