package io.sftprep.trainer.example;

import io.sftprep.trainer.batch.PackedBatch;
import io.sftprep.trainer.dataset.ShardDataset;
import io.sftprep.trainer.read.ShardRow;
import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The token ids that occur in a version's rows (and its pad id), renumbered {@code 0..size-1} in id order, so the
 * example's tiny model needs an LM head over a few thousand ids instead of a real tokenizer's 150,000. Ids seen:
 * {@code [7, 151643, 42]} → {@code 7 → 0, 42 → 1, 151643 → 2}. A real trainer uses the tokenizer's vocabulary and
 * has no use for this.
 */
public final class CompactVocabulary {
  private final int[] toCompact;
  private final int size;
  private final int padTokenId;

  private CompactVocabulary(int[] toCompact, int size, int padTokenId) {
    this.toCompact = toCompact;
    this.size = size;
    this.padTokenId = padTokenId;
  }

  /** Reads every row of the version {@code root/_LATEST} names. */
  public static CompactVocabulary scan(String root) throws IOException {
    ShardDataset all = ShardDataset.builder().setRoot(root).setBatchSize(64).build();
    all.prepare(null);
    int pad = all.published().padTokenId().orElse(0);
    BitSet seen = new BitSet();
    seen.set(pad);
    for (PackedBatch b : all.batches()) {
      for (int id : b.inputIds()) seen.set(id);
    }
    int[] map = new int[seen.length()];
    Arrays.fill(map, -1);
    int n = 0;
    for (int id = seen.nextSetBit(0); id >= 0; id = seen.nextSetBit(id + 1)) map[id] = n++;
    return new CompactVocabulary(map, n, map[pad]);
  }

  public int size() {
    return size;
  }

  /** The manifest's pad id (else 0), renumbered: what padding must use once rows are renumbered. */
  public int padTokenId() {
    return padTokenId;
  }

  public int compact(int id) {
    if (id < 0 || id >= toCompact.length || toCompact[id] < 0) {
      throw new IllegalArgumentException("Token id " + id + " was not seen when the vocabulary was scanned");
    }
    return toCompact[id];
  }

  /** The row with ids and labels renumbered ({@code -100} stays). */
  public ShardRow apply(ShardRow row) {
    int[] ids = new int[row.inputIds().length];
    int[] labels = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = compact(row.inputIds()[i]);
      int l = row.labels()[i];
      labels[i] = l == PackedBatch.IGNORE_INDEX ? l : compact(l);
    }
    return row.withTokens(ids, labels);
  }
}
