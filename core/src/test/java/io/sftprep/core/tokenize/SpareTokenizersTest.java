package io.sftprep.core.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
