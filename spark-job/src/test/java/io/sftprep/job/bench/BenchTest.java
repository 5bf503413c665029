package io.sftprep.job.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTest {
  static final String MI = "/lib/x86_64-linux-gnu/libmimalloc.so.2";

  /** The Python peer runs without the allocator the launcher preloads, and with anything else preloaded. */
  @Test
  void thePythonPeerLosesOnlyTheLaunchersAllocator() {
    assertEquals("", Bench.withoutEntry(null, MI));
    assertEquals("", Bench.withoutEntry(MI, MI));
    assertEquals("/opt/libx.so", Bench.withoutEntry(MI + ":/opt/libx.so", MI));
    assertEquals("/opt/libx.so:/opt/liby.so", Bench.withoutEntry("/opt/libx.so " + MI + " /opt/liby.so", MI));
    assertEquals("/opt/libx.so", Bench.withoutEntry("/opt/libx.so", MI));
  }

  /**
   * A generated corpus is reused while whole, and generated again, with the same bytes, when its file was removed
   * or cut short behind its marker (a cleaned-up work folder used to fail with NoSuchFileException).
   */
  @Test
  void aCorpusIsGeneratedAgainWhenItsFileIsGoneOrCut(@TempDir Path work) throws Exception {
    CorpusGenerator.Size size = CorpusGenerator.Size.ofConversations(40);
    Bench.Corpus first = Bench.corpus(work, 7, size);
    byte[] bytes = Files.readAllBytes(first.file());
    assertEquals(40, first.conversations());
    assertEquals(bytes.length, first.bytes());
    long written = Files.getLastModifiedTime(first.file()).toMillis();

    Files.setLastModifiedTime(first.file(), java.nio.file.attribute.FileTime.fromMillis(written - 60_000));
    Bench.Corpus reused = Bench.corpus(work, 7, size);
    assertEquals(written - 60_000, Files.getLastModifiedTime(reused.file()).toMillis(), "a whole corpus is reused");

    Files.delete(first.file());
    Bench.Corpus again = Bench.corpus(work, 7, size);
    assertArrayEquals(bytes, Files.readAllBytes(again.file()));
    assertEquals(40, again.conversations());

    Files.write(first.file(), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Bench.Corpus whole = Bench.corpus(work, 7, size);
    assertArrayEquals(bytes, Files.readAllBytes(whole.file()));
    assertEquals(bytes.length, whole.bytes());
  }
}
