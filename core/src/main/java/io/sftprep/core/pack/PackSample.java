package io.sftprep.core.pack;

import io.sftprep.core.mask.Labels;

/**
 * What the packer needs of a sample: its id, tokens, which of them are trained (one bit per token,
 * {@link Labels#trainedBits}: a label is its token's id or {@code -100}, so a bit says which; a packing window
 * holds tens of thousands of samples, and ints for labels doubled what it held) and provenance (file name and line).
 */
public record PackSample(long id, int[] inputIds, byte[] trainedBits, String sourceFile, long sourceLine) {
  public PackSample {
    if (inputIds.length == 0 || trainedBits.length != Labels.trainedBytes(inputIds.length)) {
      throw new IllegalArgumentException("Cannot pack sample " + id + ": " + inputIds.length + " ids, "
          + trainedBits.length + " bytes of trained bits");
    }
  }

  /** A sample from its ids and labels (each its token's id or {@code -100}). */
  public static PackSample of(long id, int[] inputIds, int[] labels, String sourceFile, long sourceLine) {
    if (inputIds.length != labels.length || inputIds.length == 0) {
      throw new IllegalArgumentException("Cannot pack sample " + id + ": " + inputIds.length + " ids, "
          + labels.length + " labels");
    }
    return new PackSample(id, inputIds, Labels.trainedBits(inputIds, labels), sourceFile, sourceLine);
  }

  public int length() {
    return inputIds.length;
  }

  public int[] labels() {
    return Labels.fromTrainedBits(inputIds, trainedBits);
  }
}
