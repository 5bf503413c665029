package io.sftprep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.json.Json;
import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.core.pipeline.RecordResult;
import io.sftprep.core.pipeline.Rejection;
import io.sftprep.core.pipeline.RenderedRecord;
import io.sftprep.core.pipeline.Sample;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL notebook ({@code deploy/databricks/notebooks/sftprep_udfs.sql}) run statement by statement in a local
 * session over the sample corpus, after the equivalent of its Python cell (the registrations it lists, through
 * {@code registerJava}, which is what PySpark's {@code registerJavaFunction} calls). Every sample, label and
 * reject reason its views hold equals what core's {@code Preprocessor}, the batch job's per-record path, gives for
 * the same records.
 */
class SqlNotebookTest {
  static final String NOW = "2026-01-01T00:00";
  @TempDir Path tmp;

  /** The SQL statements of the notebook's SQL cells, in order (MAGIC cells left out, comments dropped). */
  static List<String> sqlStatements(String notebook) {
    List<String> out = new ArrayList<>();
    String[] cells = notebook.split("\n-- COMMAND ----------\n");
    for (int i = 1; i < cells.length; i++) { // cell 0 holds the header line and the first cell
      if (cells[i].strip().startsWith("-- MAGIC")) continue;
      StringBuilder sql = new StringBuilder();
      for (String line : cells[i].split("\n")) {
        if (!line.strip().startsWith("--")) sql.append(line).append('\n');
      }
      for (String stmt : sql.toString().split(";\\s*\n")) {
        if (!stmt.isBlank()) out.add(stmt.strip());
      }
    }
    return out;
  }

  static String key(Object part, Object chunk, Object ids, Object labels, Object trained, Object reason) {
    return part + "|" + chunk + "|" + ids + "|" + labels + "|" + trained + "|" + reason;
  }

  static String arr(int[] a) {
    return Arrays.toString(a);
  }

  static String ints(Row r, String field) {
    int i = r.fieldIndex(field);
    return r.isNullAt(i) ? "null" : r.getList(i).toString();
  }

  @Test
  void sqlNotebookGivesTheBatchJobsSamples() throws Exception {
    Path tok = SparkTestSupport.tokenizer("qwen3");
    Path input = SparkTestSupport.repoRoot().resolve("deploy/sample/chat.jsonl");
    String notebook = Files.readString(SparkTestSupport.repoRoot().resolve(
        "deploy/databricks/notebooks/sftprep_udfs.sql"), StandardCharsets.UTF_8);

    // core, as the job runs it
    ModelFiles files = ModelFiles.load(tok);
    List<String> lines = Files.readAllLines(input, StandardCharsets.UTF_8);
    List<String> wantSamples = new ArrayList<>();
    List<String> wantMessages = new ArrayList<>();
    List<String> wantTexts = new ArrayList<>();
    int wantWritten = 0;
    try (HfTokenizer t = HfTokenizer.open(tok)) {
      Preprocessor p = new Preprocessor(SftConfig.fromMap(Map.of(SftConfig.TEMPLATE_NOW, NOW)), files, t,
          files.chatTemplate(), LocalDateTime.parse(NOW));
      for (String line : lines) {
        if (line.isBlank()) continue;
        RecordResult r = p.process(line);
        for (Sample s : r.samples()) {
          wantSamples.add(key(s.part(), s.chunk(), arr(s.inputIds()), arr(s.labels()), s.numTrained(), null));
          wantWritten++;
        }
        for (Rejection j : r.rejections()) wantSamples.add(key(j.part(), 0, "null", "null", null, j.reason().key()));
        Object parsed;
        try {
          parsed = Json.parse(line);
        } catch (Exception e) {
          continue; // Spark's JSON reader gives no messages for it
        }
        if (parsed instanceof Map && ((Map<?, ?>) parsed).get("messages") instanceof List) {
          wantMessages.add(r.samples().isEmpty()
              ? key(null, null, "null", "null", null, r.rejections().get(0).reason().key())
              : key(null, null, arr(r.samples().get(0).inputIds()), arr(r.samples().get(0).labels()),
                  r.samples().get(0).numTrained(), null));
          @SuppressWarnings("unchecked")
          RenderedRecord rr = p.render((Map<String, Object>) parsed);
          wantTexts.add(rr.parts().isEmpty() ? "null" : rr.parts().get(0).text());
        }
      }
    }
    assertEquals(96, wantWritten);

    SparkSession spark = SparkTestSupport.session("local[2]",
        Map.of("spark.sql.warehouse.dir", tmp.resolve("warehouse").toUri().toString()));
    try {
      // the notebook's Python cell, with this machine's paths
      spark.conf().set("spark.sftprep.tokenizer", tok.toUri().toString());
      spark.conf().set("spark.sftprep.template.now", NOW);
      Matcher m = Pattern.compile("\\(\"(sft_\\w+)\", \"([\\w.]+)\",\\s*(?:-- MAGIC\\s*)?\"([^\"]+)\"\\)")
          .matcher(notebook);
      int registered = 0;
      while (m.find()) {
        spark.udf().registerJava(m.group(1), m.group(2), DataType.fromDDL(m.group(3)));
        registered++;
      }
      assertEquals(4, registered, "registrations found in the notebook's Python cell");
      spark.read().json(input.toString()).createOrReplaceTempView("sft_chats");
      spark.read().text(input.toString()).createOrReplaceTempView("sft_lines");

      List<String> statements = sqlStatements(notebook);
      assertTrue(statements.size() >= 6, statements::toString);
      for (String stmt : statements) spark.sql(stmt).collectAsList();

      List<String> gotSamples = new ArrayList<>();
      for (Row r : spark.sql("SELECT * FROM sft_samples").collectAsList()) {
        gotSamples.add(key(r.getAs("part"), r.getAs("chunk"), ints(r, "input_ids"), ints(r, "labels"),
            r.getAs("num_trained"), r.getAs("reject_reason")));
      }
      assertEquals(sorted(wantSamples), sorted(gotSamples), "sft_tokenize_json over the raw lines");

      List<String> gotMessages = new ArrayList<>();
      List<String> gotTexts = new ArrayList<>();
      for (Row r : spark.sql("SELECT t.*, n, text FROM sft_tokenized").collectAsList()) {
        gotMessages.add(key(null, null, ints(r, "input_ids"), ints(r, "labels"), r.getAs("num_trained"),
            r.getAs("reject_reason")));
        assertEquals((Integer) r.getAs("num_tokens"), (Integer) r.getAs("n"),
            "sft_num_tokens = sft_tokenize(...).num_tokens");
        gotTexts.add(r.isNullAt(r.fieldIndex("text")) ? "null" : r.getAs("text"));
      }
      assertEquals(sorted(wantMessages), sorted(gotMessages), "sft_tokenize over Spark's messages structs");
      assertEquals(sorted(wantTexts), sorted(gotTexts), "sft_render");

      List<Row> table = spark.sql("SELECT input_ids, labels FROM sft_chat_samples").collectAsList();
      assertEquals(wantWritten, table.size(), "the notebook's table holds every written sample");
    } finally {
      spark.stop();
    }
  }

  static List<String> sorted(List<String> l) {
    List<String> s = new ArrayList<>(l);
    s.sort(null);
    return s;
  }
}
