package io.sftprep.trainer.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RowOrderTest {
  @Test
  void unshuffledIsManifestAndFileOrder() {
    RowOrder o = RowOrder.inFileOrder();
    assertArrayEquals(new int[] {0, 1, 2, 3}, o.shardOrder(4));
    assertArrayEquals(new int[] {0}, o.windowOrder(3, 17, 1));
    assertEquals(17, o.windowStart(17));
  }

  @Test
  void sameSeedAndEpochSameOrderAnotherEpochAnother() {
    RowOrder a = RowOrder.shuffled(42, 0, 100);
    assertArrayEquals(a.shardOrder(50), RowOrder.shuffled(42, 0, 100).shardOrder(50));
    assertArrayEquals(a.windowOrder(3, 2, 100), RowOrder.shuffled(42, 0, 100).windowOrder(3, 2, 100));
    assertFalse(Arrays.equals(a.shardOrder(50), RowOrder.shuffled(42, 1, 100).shardOrder(50)));
    assertFalse(Arrays.equals(a.shardOrder(50), RowOrder.shuffled(43, 0, 100).shardOrder(50)));
    assertFalse(Arrays.equals(a.windowOrder(3, 2, 100), a.windowOrder(3, 3, 100)));
    assertFalse(Arrays.equals(a.windowOrder(3, 2, 100), a.windowOrder(4, 2, 100)));
    int[] sorted = a.windowOrder(3, 2, 100).clone();
    Arrays.sort(sorted);
    assertArrayEquals(RowOrder.inFileOrder().shardOrder(100), sorted, "a permutation");
  }

  @Test
  void windowsStartAtMultiplesOfTheBuffer() {
    RowOrder o = RowOrder.shuffled(1, 0, 8);
    assertEquals(0, o.windowStart(7));
    assertEquals(8, o.windowStart(8));
    assertEquals(16, o.windowStart(23));
  }
}
