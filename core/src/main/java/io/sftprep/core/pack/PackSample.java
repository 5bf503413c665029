package io.sftprep.core.pack;

/** What the packer needs of a sample: its id, tokens, labels and provenance (file name and line). */
public record PackSample(long id, int[] inputIds, int[] labels, String sourceFile, long sourceLine) {
  public PackSample {
    if (inputIds.length != labels.length || inputIds.length == 0) {
      throw new IllegalArgumentException("Cannot pack sample " + id + ": " + inputIds.length + " ids, "
          + labels.length + " labels");
    }
  }

  public int length() {
    return inputIds.length;
  }
}
