package io.sftprep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.core.stats.RunStats;
import io.sftprep.job.Items.Item;
import io.sftprep.job.Items.RejectRow;
import io.sftprep.job.Items.SampleRow;
import io.sftprep.job.Items.StatsRow;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each piece's rejects and stats go to its own files and only samples pass; the reject parts end to end are the
 * rejects in (file, line, part) order.
 */
class PieceOutputsTest {
  @TempDir java.nio.file.Path tmp;

  static final List<String> NAMES = List.of("a.jsonl", "b.jsonl");
  private final Configuration conf = new Configuration(false);

  static RejectRow reject(int file, long line, int part) {
    return new RejectRow(file, line, part, "too-long", "detail " + line, "{\"raw\": " + line + "}");
  }

  static SampleRow sample(long line) {
    return new SampleRow(line, 0, line, 0, 0, new int[] {1, 2}, new int[] {-100, 2});
  }

  private PieceOutputs outputs() {
    return new PieceOutputs(new Path(tmp.resolve("rejects").toUri()), new Path(tmp.resolve("stats").toUri()), NAMES);
  }

  /** Drains {@code items} through {@link PieceOutputs#divert}; returns what passed through. */
  private List<Item> divert(int piece, Item... items) {
    List<Item> out = new ArrayList<>();
    for (Iterator<Item> it = outputs().divert(List.of(items).iterator(), piece, conf); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  static StatsRow stats(long records) {
    RunStats s = new RunStats();
    for (long i = 0; i < records; i++) s.file("a.jsonl").addBlank();
    return new StatsRow(s);
  }

  @Test
  void onlySamplesPassAndTheRejectPartsEndToEndAreTheRejectsInOrder() throws Exception {
    SampleRow s5 = sample(5);
    assertEquals(List.of(s5), divert(0, reject(0, 3, 0), s5, reject(0, 9, 0), stats(1)));
    assertEquals(List.of(), divert(1, stats(2))); // no rejects: no part
    assertEquals(List.of(), divert(2, reject(1, 40, 0), reject(1, 40, 1), stats(4)));
    divert(2, reject(1, 40, 0), reject(1, 40, 1), stats(4)); // a retried task writes its parts again

    assertEquals(7, outputs().stats(3, conf).totals().blankLines, "the stats of the three pieces, merged");
    divert(2, reject(1, 40, 0), reject(1, 40, 1), stats(4)); // recomputed for the shards: lost samples read again
    Path target = new Path(tmp.resolve("rejects.jsonl").toUri());
    assertEquals(4, outputs().concatenateRejects(3, target, conf));
    List<String> lines = Files.readAllLines(tmp.resolve("rejects.jsonl"));
    assertEquals(List.of(
        "{\"source_file\": \"a.jsonl\", \"source_line\": 3, \"part\": 0, \"reason\": \"too-long\", "
            + "\"detail\": \"detail 3\", \"raw\": \"{\\\"raw\\\": 3}\"}",
        "{\"source_file\": \"a.jsonl\", \"source_line\": 9, \"part\": 0, \"reason\": \"too-long\", "
            + "\"detail\": \"detail 9\", \"raw\": \"{\\\"raw\\\": 9}\"}",
        "{\"source_file\": \"b.jsonl\", \"source_line\": 40, \"part\": 0, \"reason\": \"too-long\", "
            + "\"detail\": \"detail 40\", \"raw\": \"{\\\"raw\\\": 40}\"}",
        "{\"source_file\": \"b.jsonl\", \"source_line\": 40, \"part\": 1, \"reason\": \"too-long\", "
            + "\"detail\": \"detail 40\", \"raw\": \"{\\\"raw\\\": 40}\"}"), lines);
    outputs().removeParts(conf);
    assertFalse(Files.exists(tmp.resolve("rejects")), "the parts folders are removed");
    assertFalse(Files.exists(tmp.resolve("stats")));
  }

  @Test
  void noRejectsGiveAnEmptyFile() throws Exception {
    divert(0, sample(1), stats(1));
    assertEquals(0, outputs().concatenateRejects(1, new Path(tmp.resolve("rejects.jsonl").toUri()), conf));
    assertEquals(0, Files.size(tmp.resolve("rejects.jsonl")));
  }

  @Test
  void aPieceWithoutStatsIsAnError() throws Exception {
    divert(0, stats(1));
    IOException e = assertThrows(IOException.class, () -> outputs().stats(2, conf));
    assertTrue(e.getMessage().contains("piece 1 left no stats"), e.getMessage());
  }
}
