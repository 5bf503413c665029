package io.sftprep.trainer.read;

import java.util.Arrays;

/**
 * One packed row as stored in a shard, and where it was read from ({@code shard}: index in the manifest's shard
 * list; {@code row}: index in that file). A row of two samples of 3 and 2 tokens:
 *
 * <pre>
 * input_ids    [11, 12, 13, 21, 22]
 * labels       [-100, 12, 13, -100, 22]      first position of each sample never trained
 * position_ids [0, 1, 2, 0, 1]               restart per sample
 * seq_lens     [3, 2]                        sum = num_tokens (the row may be longer: job-side padding)
 * </pre>
 *
 * The arrays belong to the row: callers read them and never write to them.
 */
public record ShardRow(int shard, long row, int[] inputIds, int[] labels, int[] positionIds, int[] seqLens,
    long[] sampleIds, int numTokens, int numTrained) {

  public ShardRow {
    if (labels.length != inputIds.length || positionIds.length != inputIds.length) {
      throw new IllegalArgumentException(String.format(
          "Row %d of shard %d: input_ids, labels and position_ids must have one length, got %d, %d and %d",
          row, shard, inputIds.length, labels.length, positionIds.length));
    }
    long sum = 0;
    for (int len : seqLens) {
      if (len <= 0) throw new IllegalArgumentException(String.format(
          "Row %d of shard %d: seq_lens must be positive, got %s", row, shard, Arrays.toString(seqLens)));
      sum += len;
    }
    if (sum != numTokens || numTokens > inputIds.length) {
      throw new IllegalArgumentException(String.format(
          "Row %d of shard %d: seq_lens %s must sum to num_tokens %d, which must not exceed the row length %d",
          row, shard, Arrays.toString(seqLens), numTokens, inputIds.length));
    }
  }

  /** The same row with other token ids and labels of the same length (for example ids mapped to a smaller vocabulary). */
  public ShardRow withTokens(int[] newInputIds, int[] newLabels) {
    return new ShardRow(shard, row, newInputIds, newLabels, positionIds, seqLens, sampleIds, numTokens, numTrained);
  }

  @Override
  public String toString() {
    return String.format("ShardRow[shard=%d, row=%d, tokens=%d, samples=%d]", shard, row, numTokens, seqLens.length);
  }
}
