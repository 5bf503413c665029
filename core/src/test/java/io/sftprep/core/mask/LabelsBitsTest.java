package io.sftprep.core.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Labels as one bit per token and back. */
class LabelsBitsTest {
  @Test
  void trainedTokensAreSetBits() {
    int[] ids = {7, 8, 9, 5, 6, 1, 2, 3, 4};
    int[] labels = {-100, 8, 9, -100, 6, -100, -100, -100, 4};
    byte[] bits = Labels.trainedBits(ids, labels);
    assertArrayEquals(new byte[] {(byte) 0b0001_0110, 0b1}, bits);
    assertArrayEquals(labels, Labels.fromTrainedBits(ids, bits));
  }

  @Test
  void anEmptySampleHasNoBits() {
    assertArrayEquals(new byte[0], Labels.trainedBits(new int[0], new int[0]));
    assertArrayEquals(new int[0], Labels.fromTrainedBits(new int[0], new byte[0]));
  }

  @Test
  void aTokenWhoseIdIsMinus100IsNotConfusedWithNoLoss() {
    // never produced by a tokenizer, but the round trip stays exact: equal to its id means trained
    int[] ids = {-100, 3};
    assertArrayEquals(new int[] {-100, 3}, Labels.fromTrainedBits(ids, Labels.trainedBits(ids, new int[] {-100, 3})));
  }

  @Test
  void randomSamplesRoundTrip() {
    SplittableRandom r = new SplittableRandom(3);
    for (int n = 0; n < 70; n++) {
      int[] ids = new int[n];
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        ids[i] = r.nextInt(151_000);
        labels[i] = r.nextBoolean() ? ids[i] : Labels.IGNORE;
      }
      assertArrayEquals(labels, Labels.fromTrainedBits(ids, Labels.trainedBits(ids, labels)), "length " + n);
    }
  }

  @Test
  void aLabelThatIsNeitherItsIdNorMinus100IsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Labels.trainedBits(new int[] {1, 2}, new int[] {1, 3}));
    assertThrows(IllegalArgumentException.class, () -> Labels.trainedBits(new int[] {1, 2}, new int[] {1}));
  }
}
