package io.sftprep.trainer.read;

/**
 * One shard as the manifest lists it: {@code {"file": "data/part-00000.parquet", "rows": 2, "tokens": 957,
 * "bytes": 4192, "sha256": "f34e..."}}. {@code file} is relative to the version folder.
 */
public record ShardEntry(String file, long rows, long tokens, long bytes, String sha256) {
  public ShardEntry {
    if (file == null || file.isEmpty()) throw new IllegalArgumentException("Shard entry without a file name");
    if (rows < 0) throw new IllegalArgumentException("Shard " + file + ": rows must be >= 0, got " + rows);
    if (bytes < 0) throw new IllegalArgumentException("Shard " + file + ": bytes must be >= 0, got " + bytes);
  }
}
