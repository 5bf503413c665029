package io.sftprep.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.core.pipeline.RecordResult;
import io.sftprep.core.pipeline.Sample;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job in Spark {@code local[2]} on the sample corpus: the published shards read back with Spark hold every
 * sample core produces for that corpus, unchanged except the first label of each sample, with positions
 * restarting per sample; rejects and accounting add up.
 */
class SftJobLocalTest {
  @TempDir Path tmp;

  @Test
  void sampleCorpusRoundTripsThroughParquet() throws Exception {
    Path tok = SparkTestSupport.tokenizer("qwen3");
    Path input = SparkTestSupport.repoRoot().resolve("deploy/sample/chat.jsonl");
    Path out = tmp.resolve("out");
    SparkSession spark = SparkTestSupport.session("local[2]");
    RunResult r;
    try {
      r = SftJob.run(spark, RunOptions.of(input.toString(), out.toString(), tok.toString(),
          Map.of("pack.seq-length", "1024", "output.num-shards", "3")));
      assertEquals(0, r.exitCode(), r.message());
      assertEquals(100, r.totals().records);
      assertEquals(96, r.totals().written);
      assertEquals(4, r.totals().rejected);
      String latest = Files.readString(out.resolve("_LATEST")).strip();
      assertEquals(r.version(), latest);
      Path version = out.resolve(latest);
      assertTrue(Files.exists(version.resolve("_manifest.json")));
      assertEquals(4, Files.readAllLines(version.resolve(SftJob.REJECTS_FILE)).size());

      Dataset<Row> rows = spark.read().parquet(version.resolve("data").toString());
      Map<Long, int[][]> fromParquet = new HashMap<>();
      for (Row row : rows.collectAsList()) {
        List<Integer> ids = row.getList(row.fieldIndex("input_ids"));
        List<Integer> labels = row.getList(row.fieldIndex("labels"));
        List<Integer> pos = row.getList(row.fieldIndex("position_ids"));
        List<Integer> lens = row.getList(row.fieldIndex("seq_lens"));
        List<Long> sids = row.getList(row.fieldIndex("sample_ids"));
        assertTrue(ids.size() <= 1024, "row longer than seq-length");
        assertEquals(ids.size(), lens.stream().mapToInt(Integer::intValue).sum(), "seq_lens sum to row length");
        int at = 0;
        for (int k = 0; k < lens.size(); k++) {
          int n = lens.get(k);
          int[][] s = new int[2][n];
          for (int i = 0; i < n; i++) {
            s[0][i] = ids.get(at + i);
            s[1][i] = labels.get(at + i);
            assertEquals(i, (int) pos.get(at + i), "position ids restart at each sample");
          }
          assertEquals(-100, s[1][0], "first label of a sample is -100");
          fromParquet.put(sids.get(k), s);
          at += n;
        }
      }
      assertEquals(96, fromParquet.size());

      ModelFiles files = ModelFiles.load(tok);
      int line = 0;
      int checked = 0;
      try (HfTokenizer t = HfTokenizer.open(tok)) {
        Preprocessor p = new Preprocessor(SftConfig.fromMap(Map.of("pack.seq-length", "1024")), files, t,
            files.chatTemplate(), LocalDate.now(ZoneOffset.UTC).atStartOfDay());
        for (String l : Files.readAllLines(input, StandardCharsets.UTF_8)) {
          line++;
          RecordResult rr = p.process(l);
          for (Sample s : rr.samples()) {
            int[][] got = fromParquet.get(SampleIds.of("chat.jsonl", line, s.part(), s.chunk()));
            assertNotNull(got, "sample of line " + line + " missing from the shards");
            assertArrayEquals(s.inputIds(), got[0]);
            int[] labels = s.labels().clone();
            labels[0] = -100;
            assertArrayEquals(labels, got[1]);
            checked++;
          }
        }
      }
      assertEquals(96, checked);
    } finally {
      spark.stop();
    }
  }
}
