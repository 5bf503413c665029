package io.sftprep.core.pipeline;

/**
 * One training sample: token ids and labels (same length, {@code -100} = no loss). {@code part} numbers the
 * conversations of one record (several for an OpenAssistant tree), {@code chunk} the pieces of a split text; {@code fullLength} is the length
 * before overflow handling.
 *
 * <pre>{@code Sample(part=0, chunk=0, inputIds=[151644, 872, ...], labels=[-100, -100, ..., 9707, 151645, -100])}</pre>
 */
public record Sample(int part, int chunk, int[] inputIds, int[] labels, int numTrained, int fullLength, boolean truncated) {
  public Sample {
    if (inputIds.length != labels.length) {
      throw new IllegalArgumentException("Cannot make sample: " + inputIds.length + " ids but " + labels.length
          + " labels");
    }
  }

  public int length() {
    return inputIds.length;
  }
}
