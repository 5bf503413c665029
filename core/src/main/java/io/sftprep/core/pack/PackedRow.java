package io.sftprep.core.pack;

/**
 * One training row: samples laid end to end. {@code positionIds} restart at 0 at each sample, {@code seqLens} are
 * the samples' lengths (summing to the unpadded length), {@code sampleIds} their ids, and the label at each
 * sample's first position is {@code -100}, so no position predicts across a boundary. Padding, when asked for,
 * follows the samples: pad ids, label {@code -100}, position ids continuing from the last sample, and it is not
 * counted in {@code seqLens}.
 *
 * <pre>{@code
 * samples [7, 8, 9] (labels [-100, 8, 9]) and [5, 6] (labels [-100, 6])  ->
 *   input_ids [7, 8, 9, 5, 6], labels [-100, 8, 9, -100, 6], position_ids [0, 1, 2, 0, 1], seq_lens [3, 2]
 * }</pre>
 */
public record PackedRow(int[] inputIds, int[] labels, int[] positionIds, int[] seqLens, long[] sampleIds,
    String[] sourceFiles, long[] sourceLines, int numTokens, int numTrained) {

  public int length() {
    return inputIds.length;
  }
}
