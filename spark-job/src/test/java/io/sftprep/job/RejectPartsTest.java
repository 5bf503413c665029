package io.sftprep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sftprep.core.stats.RunStats;
import io.sftprep.job.Items.Item;
import io.sftprep.job.Items.RejectRow;
import io.sftprep.job.Items.SampleRow;
import io.sftprep.job.Items.StatsRow;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each piece's rejects go to its own part; the parts end to end are the rejects in (file, line, part) order. */
class RejectPartsTest {
  @TempDir java.nio.file.Path tmp;

  static final List<String> NAMES = List.of("a.jsonl", "b.jsonl");
  private final Configuration conf = new Configuration(false);

  static RejectRow reject(int file, long line, int part) {
    return new RejectRow(file, line, part, "too-long", "detail " + line, "{\"raw\": " + line + "}");
  }

  static SampleRow sample(long line) {
    return new SampleRow(line, 0, line, 0, 0, new int[] {1, 2}, new int[] {-100, 2});
  }

  /** Drains {@code items} through {@link RejectParts#divert}; returns what passed through. */
  private List<Item> divert(Path dir, int piece, Item... items) {
    List<Item> out = new ArrayList<>();
    for (Iterator<Item> it = RejectParts.divert(List.of(items).iterator(), dir, piece, NAMES, conf); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  @Test
  void partsEndToEndAreTheRejectsInOrder() throws Exception {
    Path dir = new Path(tmp.resolve("parts").toUri());
    StatsRow stats = new StatsRow(new RunStats());
    SampleRow s5 = sample(5);
    assertEquals(List.of(s5, stats), divert(dir, 0, reject(0, 3, 0), s5, reject(0, 9, 0), stats));
    assertEquals(List.of(stats), divert(dir, 1, stats)); // no rejects: no part
    assertEquals(List.of(stats), divert(dir, 2, reject(1, 40, 0), reject(1, 40, 1), stats));
    divert(dir, 2, reject(1, 40, 0), reject(1, 40, 1), stats); // a retried task writes its part again

    Path target = new Path(tmp.resolve("rejects.jsonl").toUri());
    assertEquals(4, RejectParts.concatenate(dir, 3, target, conf));
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
    assertFalse(Files.exists(tmp.resolve("parts")), "the parts folder is removed");
  }

  @Test
  void noRejectsGiveAnEmptyFile() throws Exception {
    Path dir = new Path(tmp.resolve("parts").toUri());
    divert(dir, 0, sample(1), new StatsRow(new RunStats()));
    assertEquals(0, RejectParts.concatenate(dir, 1, new Path(tmp.resolve("rejects.jsonl").toUri()), conf));
    assertEquals(0, Files.size(tmp.resolve("rejects.jsonl")));
  }
}
