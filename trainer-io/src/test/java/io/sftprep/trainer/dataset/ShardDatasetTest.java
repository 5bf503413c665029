package io.sftprep.trainer.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import io.sftprep.trainer.JobOutput;
import io.sftprep.trainer.TestShards;
import io.sftprep.trainer.batch.AttentionLayout;
import io.sftprep.trainer.batch.PackedBatch;
import io.sftprep.trainer.batch.Padding;
import io.sftprep.trainer.read.ShardRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardDatasetTest {
  /** 5 shards of 23, 0, 17, 40 and 9 rows of 2 samples each; tiny row groups so seeks cross them. */
  private static final int[] ROWS = {23, 0, 17, 40, 9};
  private static final int TOTAL = 89;

  @TempDir
  static Path root;

  @BeforeAll
  static void publish() throws IOException {
    TestShards.publish(root, "v1", 64, TestShards.rows(ROWS, 2, 10), 1536);
  }

  private static ShardDataset.Builder data(int batchSize) {
    return ShardDataset.builder().setRoot(root).setBatchSize(batchSize);
  }

  /** The first sample id of each row, in delivery order (sample ids are unique). */
  private static List<Long> firstSampleIds(ShardDataset d) throws IOException {
    List<Long> ids = new ArrayList<>();
    d.prepare(null);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      for (Batch b : d.getData(m)) {
        for (ShardRow r : ((ShardBatch) b).rows()) ids.add(r.sampleIds()[0]);
        b.close();
      }
    }
    return ids;
  }

  private static List<Position> positions(ShardDataset d) throws IOException {
    List<Position> out = new ArrayList<>();
    d.prepare(null);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      for (Batch b : d.getData(m)) {
        for (Object o : b.getIndices()) out.add((Position) o);
        b.close();
      }
    }
    return out;
  }

  @Test
  void unshuffledDeliversEveryRowInManifestAndFileOrder() throws IOException {
    List<Position> p = positions(data(8).build());
    assertEquals(TOTAL, p.size());
    assertEquals(new Position(0, 0), p.get(0));
    assertEquals(new Position(0, 22), p.get(22));
    assertEquals(new Position(2, 0), p.get(23), "the empty shard 1 yields nothing");
    assertEquals(new Position(4, 8), p.get(TOTAL - 1));
    List<Long> ids = firstSampleIds(data(8).build());
    for (int i = 0; i < TOTAL; i++) assertEquals(1 + 2L * i, ids.get(i), "row " + i);
  }

  @Test
  void sameSeedSameStreamOtherSeedOrEpochAnother() throws IOException {
    List<Long> a = firstSampleIds(data(8).optShuffle(42).optShuffleBuffer(8).build());
    List<Long> b = firstSampleIds(data(8).optShuffle(42).optShuffleBuffer(8).build());
    List<Long> c = firstSampleIds(data(8).optShuffle(43).optShuffleBuffer(8).build());
    List<Long> e1 = firstSampleIds(data(8).optShuffle(42).optShuffleBuffer(8).optEpoch(1).build());
    List<Long> plain = firstSampleIds(data(8).build());
    assertEquals(a, b);
    assertNotEquals(a, c);
    assertNotEquals(a, e1);
    assertNotEquals(a, plain);
    for (List<Long> order : List.of(a, c, e1)) {
      assertEquals(TOTAL, order.size());
      assertEquals(TOTAL, new HashSet<>(order).size(), "no row twice");
      assertEquals(new HashSet<>(plain), new HashSet<>(order), "every row once");
    }
  }

  @Test
  void resumesExactlyFromAnyPosition() throws IOException {
    for (Long seed : new Long[] {null, 7L}) {
      ShardDataset.Builder base = data(5).optShuffleBuffer(6);
      if (seed != null) base.optShuffle(seed);
      List<Position> full = positions(base.build());
      List<Long> fullIds = firstSampleIds(base.build());
      for (int k : new int[] {1, 5, 6, 7, 12, 22, 23, 24, 50, 88}) {
        Position resume = full.get(k - 1).next();
        ShardDataset.Builder resumed = data(5).optShuffleBuffer(6).optStartAt(resume);
        if (seed != null) resumed.optShuffle(seed);
        assertEquals(fullIds.subList(k, TOTAL), firstSampleIds(resumed.build()),
            "seed " + seed + ", resumed after " + k + " rows at " + resume);
      }
    }
  }

  @Test
  void resumePointOfABatchContinuesTheStream() throws IOException {
    ShardDataset d = data(4).optShuffle(3).optShuffleBuffer(5).build();
    d.prepare(null);
    List<Long> all = firstSampleIds(d);
    Position after;
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      var it = d.getData(m).iterator();
      it.next().close();
      try (Batch second = it.next()) {
        after = ShardDataset.resumePoint(second);
        assertEquals(after, ((ShardBatch) second).resumePoint());
      }
    }
    assertEquals(all.subList(8, TOTAL), firstSampleIds(data(4).optShuffle(3).optShuffleBuffer(5).optStartAt(after).build()));
  }

  @Test
  void positionBeyondTheShardIsRefused() throws IOException {
    ShardDataset d = data(4).optStartAt(new Position(4, 10)).build();
    d.prepare(null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.batches().iterator());
    assertTrue(e.getMessage().contains("has 9 rows"), e.getMessage());
  }

  @Test
  void batchesCarryNamedArraysOfTheDocumentedShapes() throws IOException {
    ShardDataset d = data(3).optPadding(Padding.fixed(64))
        .optAttention(AttentionLayout.BLOCK_MASK, AttentionLayout.CU_SEQLENS).build();
    d.prepare(null);
    try (NDManager m = NDManager.newBaseManager("PyTorch"); Batch b = d.getData(m).iterator().next()) {
      NDList data = b.getData();
      assertEquals(new Shape(3, 64), data.get("input_ids").getShape());
      assertEquals(DataType.INT64, data.get("input_ids").getDataType());
      assertEquals(new Shape(3, 64), data.get("position_ids").getShape());
      assertEquals(new Shape(3, 64, 64), data.get("attention_mask").getShape());
      assertEquals(DataType.BOOLEAN, data.get("attention_mask").getDataType());
      assertEquals(DataType.INT32, data.get("cu_seqlens").getDataType());
      assertEquals(new Shape(10), data.get("cu_seqlens").getShape(), "3 rows x (2 samples + padding) + 1");
      assertEquals(192, data.get("cu_seqlens").toIntArray()[9]);
      assertEquals(new Shape(3, 64), b.getLabels().get("labels").getShape());
      assertEquals(7L, data.get("input_ids").toLongArray()[63], "pad id from the manifest");
      assertEquals(3, b.getSize());
      assertEquals(3, b.getProgress());
      assertEquals(TOTAL, b.getProgressTotal());
    }
  }

  @Test
  void lastBatchDropLeavesOnlyFullBatches() throws IOException {
    ShardDataset keep = data(10).build();
    ShardDataset drop = data(10).optLastBatch(LastBatch.DROP).build();
    assertEquals(TOTAL, count(keep));
    assertEquals(80, count(drop));
  }

  private static int count(ShardDataset d) throws IOException {
    d.prepare(null);
    int rows = 0;
    for (PackedBatch b : d.batches()) rows += b.rows();
    return rows;
  }

  @Test
  void readsTheJobOutputThroughLatest() throws IOException {
    ShardDataset d = ShardDataset.builder().setRoot(JobOutput.root()).setBatchSize(4).optShuffle(1).build();
    d.prepare(null);
    int rows = 0;
    long tokens = 0;
    long trained = 0;
    Set<Integer> lengths = new HashSet<>();
    for (PackedBatch b : d.batches()) {
      rows += b.rows();
      tokens += b.realTokens();
      trained += b.trainedTokens();
      lengths.add(b.length());
      assertTrue(b.length() <= 512);
    }
    assertEquals(19, rows);
    assertEquals(7232, tokens);
    assertEquals(3454, trained);
    assertTrue(lengths.size() > 1, "padded to each batch's longest row: " + lengths);
  }
}
