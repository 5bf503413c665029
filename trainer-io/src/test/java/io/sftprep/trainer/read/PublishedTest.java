package io.sftprep.trainer.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.trainer.JobOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishedTest {
  private static final Configuration CONF = new Configuration();

  @Test
  void followsLatestToTheJobsManifest() throws IOException {
    Published p = Published.latest(new org.apache.hadoop.fs.Path(JobOutput.root().toUri()), CONF);
    assertEquals(JobOutput.VERSION, p.version());
    assertEquals(512, p.seqLength());
    assertEquals(151643, p.padTokenId().getAsInt());
    assertEquals(8, p.shards().size());
    assertEquals(new ShardEntry("data/part-00000.parquet", 2, 957, 4192,
        "f34e5991eb704a2256caba11372f246dfa629a9eb1e9d8316bad48cddc55b215"), p.shards().get(0));
    assertEquals(19, p.totalRows());
    assertEquals(7232, p.shards().stream().mapToLong(ShardEntry::tokens).sum());
  }

  @Test
  void missingLatestSaysWhatWasExpected(@TempDir Path dir) {
    IOException e = assertThrows(IOException.class,
        () -> Published.latest(new org.apache.hadoop.fs.Path(dir.toUri()), CONF));
    assertTrue(e.getMessage().contains("_LATEST"), e.getMessage());
  }

  @Test
  void otherSchemaVersionIsRefused(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("v1"));
    Files.writeString(dir.resolve("_LATEST"), "v1\n");
    Files.writeString(dir.resolve("v1/_manifest.json"),
        "{\"schema_version\": 2, \"packing\": {\"seq_length\": 8}, \"shards\": []}");
    IOException e = assertThrows(IOException.class,
        () -> Published.latest(new org.apache.hadoop.fs.Path(dir.toUri()), CONF));
    assertTrue(e.getMessage().contains("expected schema_version 1, found 2"), e.getMessage());
  }

  @Test
  void manifestWithoutShardsNamesTheMissingKey(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("v1"));
    Files.writeString(dir.resolve("_LATEST"), "v1");
    Files.writeString(dir.resolve("v1/_manifest.json"), "{\"schema_version\": 1, \"packing\": {\"seq_length\": 8}}");
    IOException e = assertThrows(IOException.class,
        () -> Published.latest(new org.apache.hadoop.fs.Path(dir.toUri()), CONF));
    assertTrue(e.getMessage().contains("has no shards"), e.getMessage());
  }
}
