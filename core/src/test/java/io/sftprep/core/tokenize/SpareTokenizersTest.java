package io.sftprep.core.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.core.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokenizers opened ahead (the run's warm-up does, while Spark starts) are each handed to exactly one later open of
 * the same folder, and only while its {@code tokenizer.json} is the one they were opened from.
 */
class SpareTokenizersTest {
  @TempDir Path tmp;

  private Path folder() throws Exception {
    Path src = Fixtures.requireTokenizer("qwen3");
    Path dir = Files.createDirectories(tmp.resolve("qwen3"));
    for (String f : new String[] {"tokenizer.json", "tokenizer_config.json"}) {
      Files.copy(src.resolve(f), dir.resolve(f));
    }
    return dir;
  }

  @Test
  void aSpareGoesToOneOpenOfTheSameFolderAndOnlyOnce() throws Exception {
    Path dir = folder();
    try (HfTokenizer a = HfTokenizer.open(dir); HfTokenizer b = HfTokenizer.open(dir)) {
      assertNotSame(a, b, "no spare: each open is a new tokenizer");
    }
    HfTokenizer spare = HfTokenizer.openNew(dir);
    HfTokenizer.spare(dir, spare, HfTokenizer.stamp(dir));
    assertEquals(1, HfTokenizer.spares(dir));
    // the same folder spelled another way
    try (HfTokenizer first = HfTokenizer.open(tmp.resolve("qwen3/../qwen3")); HfTokenizer second =
        HfTokenizer.open(dir)) {
      assertSame(spare, first);
      assertNotSame(spare, second, "a spare is handed out once");
      assertArrayEquals(second.encodeIds("<|im_start|>user\nhi<|im_end|>"),
          first.encodeIds("<|im_start|>user\nhi<|im_end|>"));
    }
    assertEquals(0, HfTokenizer.spares(dir));
  }

  @Test
  void aSpareOfAChangedFileIsClosedNotUsed() throws Exception {
    Path dir = folder();
    HfTokenizer stale = HfTokenizer.openNew(dir);
    HfTokenizer.spare(dir, stale, HfTokenizer.stamp(dir));
    Path json = dir.resolve("tokenizer.json");
    Files.setLastModifiedTime(json, FileTime.fromMillis(Files.getLastModifiedTime(json).toMillis() + 5_000));
    try (HfTokenizer t = HfTokenizer.open(dir)) {
      assertNotSame(stale, t);
      assertEquals(0, HfTokenizer.spares(dir));
      assertThrows(IllegalStateException.class, () -> stale.encodeIds("hi"), "the stale spare was closed");
    }
  }

  @Test
  void anOpenWaitsForAPromisedSpareAndAWithdrawnOneLetsItOpenItsOwn() throws Exception {
    Path dir = folder();
    HfTokenizer.promise(dir, 2);
    HfTokenizer[] got = new HfTokenizer[2];
    Thread first = new Thread(() -> {
      try {
        got[0] = HfTokenizer.open(dir);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    first.start();
    HfTokenizer promised = HfTokenizer.openNew(dir); // opened while the first open waits
    Thread.sleep(200);
    assertEquals(Thread.State.TIMED_WAITING, first.getState(), "it waits for the promised spare");
    HfTokenizer.spare(dir, promised, HfTokenizer.stamp(dir));
    first.join();
    assertSame(promised, got[0]);
    HfTokenizer.withdraw(dir, 1); // the second promised one could not be opened
    long t0 = System.nanoTime();
    got[1] = HfTokenizer.open(dir);
    assertTrue(System.nanoTime() - t0 < HfTokenizer.WAIT_MS * 1_000_000 / 2, "no wait for a withdrawn spare");
    assertNotSame(promised, got[1]);
    assertEquals(0, HfTokenizer.spares(dir));
    for (HfTokenizer t : got) t.close();
  }

  @Test
  void promisedSparesTakenAsTheyCameLeaveNothingToWaitFor() throws Exception {
    Path dir = folder();
    HfTokenizer.promise(dir, 1);
    HfTokenizer.spare(dir, HfTokenizer.openNew(dir), HfTokenizer.stamp(dir)); // came before anyone asked
    HfTokenizer.open(dir).close();
    long t0 = System.nanoTime();
    try (HfTokenizer t = HfTokenizer.open(dir)) {
      assertTrue(System.nanoTime() - t0 < HfTokenizer.WAIT_MS * 1_000_000 / 2, "nothing more is coming");
      assertArrayEquals(new int[] {6023}, t.encodeIds("hi"));
    }
  }
}
