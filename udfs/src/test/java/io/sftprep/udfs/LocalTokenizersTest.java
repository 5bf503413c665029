package io.sftprep.udfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenizer folder reaches DJL as a local folder: used in place when the file system is local, otherwise copied
 * once per JVM however many threads ask at once, and a plain path such as {@code /Volumes/...} goes through the
 * default Hadoop file system (as on Databricks) rather than being taken for a local path.
 */
class LocalTokenizersTest {
  @TempDir Path tmp;

  /** {@code file:} served by a file system that is not Hadoop's local one: the path a remote folder takes. */
  public static final class NonLocalFileSystem extends FilterFileSystem {
    public NonLocalFileSystem() {
      super(new RawLocalFileSystem());
    }
  }

  private Path tokenizerFolder(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {}}", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\"}", StandardCharsets.UTF_8);
    Files.createDirectories(dir.resolve("subfolder-not-copied"));
    return dir;
  }

  private static void assertSameFiles(Path want, Path got) throws IOException {
    for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
      assertArrayEquals(Files.readAllBytes(want.resolve(f)), Files.readAllBytes(got.resolve(f)), f);
    }
  }

  @Test
  void localFolderIsUsedInPlaceForFileUrisAndPlainPaths() throws Exception {
    Path dir = tokenizerFolder(tmp.resolve("qwen3"));
    Configuration conf = new Configuration();
    assertEquals(dir, LocalTokenizers.localFolder(dir.toUri().toString(), conf));
    assertEquals(dir, LocalTokenizers.localFolder(dir.toString(), conf));
  }

  @Test
  void fileUriOnANonLocalFileSystemIsCopiedOncePerJvm() throws Exception {
    Path dir = tokenizerFolder(tmp.resolve("copied"));
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", NonLocalFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    String uri = dir.toUri().toString();
    assertTrue(uri.startsWith("file:"), uri);

    ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    List<Path> got = new ArrayList<>();
    try {
      List<Callable<Path>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) calls.add(() -> LocalTokenizers.localFolder(uri, conf));
      for (Future<Path> f : pool.invokeAll(calls)) got.add(f.get());
    } finally {
      pool.shutdownNow();
    }
    Path copy = got.get(0);
    for (Path p : got) assertEquals(copy, p, "every thread gets the one copy");
    assertNotEquals(dir, copy);
    assertEquals(LocalTokenizers.copyRoot(), copy.getParent());
    assertSameFiles(dir, copy);
    assertTrue(Files.notExists(copy.resolve("subfolder-not-copied")));
    try (Stream<Path> s = Files.list(LocalTokenizers.copyRoot())) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".copy-")), "no temporary copy left");
    }

    // once per JVM: with the source gone, the copy is still what the URI gives
    for (String f : List.of("tokenizer.json", "tokenizer_config.json")) Files.delete(dir.resolve(f));
    assertEquals(copy, LocalTokenizers.localFolder(uri, conf));
  }

  @Test
  void volumesPathGoesThroughTheDefaultFileSystem() throws Exception {
    Path volumes = tmp.resolve("Volumes");
    Path dir = tokenizerFolder(volumes.resolve("main/sft/tokenizers/qwen3"));
    Configuration conf = new Configuration();
    // a default file system that is not local and serves /Volumes, as dbfs does on Databricks
    conf.set("fs.defaultFS", "viewfs://sftprep/");
    conf.set("fs.viewfs.mounttable.sftprep.link./Volumes", volumes.toUri().toString());
    Path copy = LocalTokenizers.localFolder("/Volumes/main/sft/tokenizers/qwen3", conf);
    assertTrue(copy.startsWith(LocalTokenizers.copyRoot()), copy + " is a copy");
    assertSameFiles(dir, copy);
  }

  @Test
  void plainPathMeansTheDefaultFileSystemEvenWhenALocalFolderHasThatName() throws Exception {
    Path local = tokenizerFolder(tmp.resolve("shadow"));
    Files.writeString(local.resolve("tokenizer.json"), "{\"local\": true}", StandardCharsets.UTF_8);
    Path remote = tokenizerFolder(tmp.resolve("remote"));
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", "viewfs://shadowed/");
    conf.set("fs.viewfs.mounttable.shadowed.link." + local, remote.toUri().toString());
    Path got = LocalTokenizers.localFolder(local.toString(), conf);
    assertNotEquals(local, got);
    assertSameFiles(remote, got);
  }

  @Test
  void folderWithoutTokenizerJsonIsAnErrorNamingIt() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    IOException e = assertThrows(IOException.class,
        () -> LocalTokenizers.localFolder(empty.toString(), new Configuration()));
    assertTrue(e.getMessage().contains("no tokenizer.json") && e.getMessage().contains(empty.toString()),
        e.getMessage());
  }
}
