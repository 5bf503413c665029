package io.sftprep.trainer.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.trainer.read.ShardRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackedBatchTest {
  /** seq_lens [3, 2]: samples 11 12 13 | 21 22 */
  private static final ShardRow TWO_SAMPLES = new ShardRow(0, 0,
      new int[] {11, 12, 13, 21, 22}, new int[] {-100, 12, 13, -100, 22}, new int[] {0, 1, 2, 0, 1},
      new int[] {3, 2}, new long[] {1, 2}, 5, 3);
  /** seq_lens [3], padded by the job to 5 with id 9 */
  private static final ShardRow JOB_PADDED = new ShardRow(0, 1,
      new int[] {31, 32, 33, 9, 9}, new int[] {-100, 32, 33, -100, -100}, new int[] {0, 1, 2, 0, 0},
      new int[] {3}, new long[] {3}, 3, 2);

  @Test
  void padsToTheLongestRowAndCutsJobPadding() {
    PackedBatch b = PackedBatch.of(List.of(TWO_SAMPLES, JOB_PADDED), Padding.longest(), 0);
    assertEquals(2, b.rows());
    assertEquals(5, b.length());
    assertArrayEquals(new int[] {11, 12, 13, 21, 22, /**/ 31, 32, 33, 0, 0}, b.inputIds());
    assertArrayEquals(new int[] {-100, 12, 13, -100, 22, /**/ -100, 32, 33, -100, -100}, b.labels());
    assertArrayEquals(new int[] {0, 1, 2, 0, 1, /**/ 0, 1, 2, 0, 0}, b.positionIds());
    assertArrayEquals(new int[] {0, 0, 0, 1, 1, /**/ 0, 0, 0, 1, 1}, b.segments());
    assertArrayEquals(new int[] {0, 3, 5, 8, 10}, b.cuSeqlens());
    assertEquals(3, b.maxSeqlen());
    assertEquals(5, b.trainedTokens());
    assertEquals(8, b.realTokens());
  }

  @Test
  void blockMaskLetsOnlyTheSameSampleSeeEachOther() {
    boolean[] m = PackedBatch.of(List.of(TWO_SAMPLES), Padding.longest(), 0).blockMask();
    String[] expected = {
        "11100",
        "11100",
        "11100",
        "00011",
        "00011"};
    for (int q = 0; q < 5; q++) {
      StringBuilder row = new StringBuilder();
      for (int k = 0; k < 5; k++) row.append(m[q * 5 + k] ? '1' : '0');
      assertEquals(expected[q], row.toString(), "query " + q);
    }
  }

  @Test
  void paddingIsItsOwnBlockAndItsOwnSequence() {
    PackedBatch b = PackedBatch.of(List.of(TWO_SAMPLES), Padding.multipleOf(4), 7);
    assertEquals(8, b.length());
    assertArrayEquals(new int[] {11, 12, 13, 21, 22, 7, 7, 7}, b.inputIds());
    assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2, 2, 2}, b.segments());
    assertArrayEquals(new int[] {0, 3, 5, 8}, b.cuSeqlens());
    boolean[] m = b.blockMask();
    assertTrue(m[7 * 8 + 5] && m[5 * 8 + 7] && !m[7 * 8 + 4], "pad attends to pad only");
  }

  @Test
  void fixedLengthPadsEveryBatchTheSameAndRefusesLongerRows() {
    assertEquals(16, PackedBatch.of(List.of(JOB_PADDED), Padding.fixed(16), 0).length());
    assertEquals(3, PackedBatch.of(List.of(JOB_PADDED), Padding.fixed(3), 0).length());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PackedBatch.of(List.of(TWO_SAMPLES), Padding.fixed(4), 0));
    assertEquals("Cannot pad to a fixed length of 4: the batch has a row of 5 tokens", e.getMessage());
  }

  @Test
  void rowWhoseSeqLensDoNotSumToNumTokensIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ShardRow(2, 17,
        new int[] {1, 2, 3}, new int[] {-100, 2, 3}, new int[] {0, 1, 2}, new int[] {2}, new long[] {1}, 3, 2));
    assertEquals("Row 17 of shard 2: seq_lens [2] must sum to num_tokens 3, which must not exceed the row length 3",
        e.getMessage());
  }
}
