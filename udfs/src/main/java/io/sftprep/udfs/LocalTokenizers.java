package io.sftprep.udfs;

import io.sftprep.core.tokenize.ModelFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A tokenizer folder given as a Hadoop file system URI, as a local folder DJL can open. A folder on the local file
 * system is used in place; any other ({@code hdfs:}, {@code s3a:}, {@code abfss:}, {@code dbfs:}, or a plain
 * path such as {@code /Volumes/main/sft/tokenizers/qwen3} when the default file system is not local, as on
 * Databricks) is copied once per JVM to {@code $DJL_CACHE_DIR/sftprep-tokenizers/} (or the temp folder), into a
 * folder named by hashes of the URI and of the files' content, so a tokenizer replaced at the same URI is never
 * mistaken for the old copy.
 *
 * <pre>{@code
 * localFolder("file:/data/qwen3", conf)                  ->  /data/qwen3
 * localFolder("s3a://models/qwen3", conf)                ->  /tmp/sftprep-djl/sftprep-tokenizers/1f0c...-9ab2...
 * }</pre>
 */
public final class LocalTokenizers {
  private static final Map<String, java.nio.file.Path> COPIES = new ConcurrentHashMap<>();

  private LocalTokenizers() {}

  /** The local folder holding the tokenizer files of {@code uri}, copied on this JVM's first call for it. */
  public static java.nio.file.Path localFolder(String uri, Configuration conf) throws IOException {
    Path src = new Path(uri);
    FileSystem fs = src.getFileSystem(conf);
    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      java.nio.file.Path local = Paths.get(fs.makeQualified(src).toUri());
      if (!Files.exists(local.resolve("tokenizer.json"))) {
        throw new IOException("no tokenizer.json in the tokenizer folder " + uri + " (" + local + ")");
      }
      return local;
    }
    try {
      return COPIES.computeIfAbsent(uri, u -> {
        try {
          return copy(src, fs);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Where copies go: {@code $DJL_CACHE_DIR/sftprep-tokenizers}, or the same under the temp folder. */
  public static java.nio.file.Path copyRoot() {
    String base = System.getenv("DJL_CACHE_DIR");
    return Paths.get(base != null && !base.isEmpty() ? base : System.getProperty("java.io.tmpdir"))
        .resolve("sftprep-tokenizers");
  }

  private static java.nio.file.Path copy(Path src, FileSystem fs) throws IOException {
    java.nio.file.Path root = Files.createDirectories(copyRoot());
    java.nio.file.Path tmp = Files.createTempDirectory(root, ".copy-");
    try {
      List<String> names = new ArrayList<>();
      for (FileStatus st : fs.listStatus(src)) {
        if (!st.isFile()) continue;
        String name = st.getPath().getName();
        try (InputStream in = fs.open(st.getPath())) {
          Files.copy(in, tmp.resolve(name));
        }
        names.add(name);
      }
      if (!names.contains("tokenizer.json")) {
        throw new IOException("no tokenizer.json in the tokenizer folder " + src + " (found: " + names + ")");
      }
      names.sort(null);
      java.nio.file.Path dest = root.resolve(ModelFiles.sha256(src.toString()).substring(0, 16) + "-"
          + contentHash(tmp, names));
      if (Files.exists(dest.resolve("tokenizer.json"))) return dest; // an earlier JVM on this host copied it
      try {
        Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) { // another JVM got there first
        if (!Files.exists(dest.resolve("tokenizer.json"))) throw e;
      }
      return dest;
    } finally {
      deleteTree(tmp);
    }
  }

  private static String contentHash(java.nio.file.Path dir, List<String> names) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String n : names) {
        md.update((n + "\n" + ModelFiles.sha256(dir.resolve(n)) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(java.nio.file.Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<java.nio.file.Path> s = Files.walk(dir)) {
      for (java.nio.file.Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
