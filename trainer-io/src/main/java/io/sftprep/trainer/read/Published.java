package io.sftprep.trainer.read;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One published version of sftprep output, read from its {@code _manifest.json}: the shards in manifest order,
 * the row length the job packed to, and the pad id it used. {@link #latest} follows {@code DIR/_LATEST}, so a
 * trainer pointed at {@code DIR} always reads the version the job last published, never one half-written.
 *
 * <pre>
 * DIR/_LATEST                               v20261124T071747-aea304e7
 * DIR/v20261124T071747-aea304e7/_manifest.json
 * DIR/v20261124T071747-aea304e7/data/part-00000.parquet ...
 * </pre>
 */
public record Published(Path versionDir, String version, int seqLength, OptionalInt padTokenId,
    List<ShardEntry> shards) {
  /** The only shard schema this reader understands (the manifest's and each file's {@code schema_version}). */
  public static final int SCHEMA_VERSION = 1;
  public static final String LATEST_FILE = "_LATEST";
  public static final String MANIFEST_FILE = "_manifest.json";

  public Published {
    shards = List.copyOf(shards);
    if (seqLength <= 0) {
      throw new IllegalArgumentException("Manifest of " + versionDir + ": seq_length must be positive, got " + seqLength);
    }
  }

  /** The version named by {@code root/_LATEST}. */
  public static Published latest(Path root, Configuration conf) throws IOException {
    Path latest = new Path(root, LATEST_FILE);
    FileSystem fs = latest.getFileSystem(conf);
    if (!fs.exists(latest)) {
      throw new IOException("No published version under " + root + ": expected " + latest
          + " naming one (is this the --output folder of `sftprep run`?)");
    }
    String version = readString(fs, latest).strip();
    if (version.isEmpty() || version.contains("/")) {
      throw new IOException("Expected a version name in " + latest + ", found '" + version + "'");
    }
    return version(root, version, conf);
  }

  /** A named version under {@code root}, published or not. */
  public static Published version(Path root, String version, Configuration conf) throws IOException {
    Path dir = new Path(root, version);
    Path manifest = new Path(dir, MANIFEST_FILE);
    FileSystem fs = manifest.getFileSystem(conf);
    if (!fs.exists(manifest)) throw new IOException("Version " + version + " has no manifest: expected " + manifest);
    try {
      return parse(dir, version, JsonParser.parseString(readString(fs, manifest)).getAsJsonObject());
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
      throw new IOException("Cannot read " + manifest + ": " + e.getMessage(), e);
    }
  }

  public Path shardPath(int shard) {
    return new Path(versionDir, shards.get(shard).file());
  }

  public long totalRows() {
    return shards.stream().mapToLong(ShardEntry::rows).sum();
  }

  private static Published parse(Path dir, String version, JsonObject m) throws IOException {
    int schema = required(m, "schema_version", dir).getAsInt();
    if (schema != SCHEMA_VERSION) {
      throw new IOException("Manifest of " + dir + ": expected schema_version " + SCHEMA_VERSION + ", found " + schema);
    }
    int seqLength = required(required(m, "packing", dir).getAsJsonObject(), "packing.seq_length", dir).getAsInt();
    OptionalInt pad = OptionalInt.empty();
    if (m.has("tokenizer") && m.getAsJsonObject("tokenizer").has("pad_token_id")
        && !m.getAsJsonObject("tokenizer").get("pad_token_id").isJsonNull()) {
      pad = OptionalInt.of(m.getAsJsonObject("tokenizer").get("pad_token_id").getAsInt());
    }
    List<ShardEntry> shards = new ArrayList<>();
    for (JsonElement e : required(m, "shards", dir).getAsJsonArray()) {
      JsonObject s = e.getAsJsonObject();
      shards.add(new ShardEntry(required(s, "shards[].file", dir).getAsString(),
          required(s, "shards[].rows", dir).getAsLong(),
          s.has("tokens") ? s.get("tokens").getAsLong() : -1,
          s.has("bytes") ? s.get("bytes").getAsLong() : 0,
          s.has("sha256") ? s.get("sha256").getAsString() : ""));
    }
    return new Published(dir, version, seqLength, pad, shards);
  }

  private static JsonElement required(JsonObject o, String path, Path dir) throws IOException {
    String key = path.substring(path.lastIndexOf('.') + 1);
    if (!o.has(key) || o.get(key).isJsonNull()) {
      throw new IOException("Manifest of " + dir + " has no " + path + " (keys found: " + o.keySet() + ")");
    }
    return o.get(key);
  }

  private static String readString(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
