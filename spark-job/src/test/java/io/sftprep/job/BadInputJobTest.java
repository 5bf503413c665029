package io.sftprep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import io.sftprep.core.config.SftConfig;
import io.sftprep.core.json.Json;
import io.sftprep.core.json.JsonWriter;
import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.core.pipeline.Reason;
import io.sftprep.core.pipeline.RecordResult;
import io.sftprep.core.pipeline.Rejection;
import io.sftprep.core.pipeline.Sample;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
import io.sftprep.job.write.Publisher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad and odd input through the whole job in Spark {@code local[2]}: a generated JSONL file of good and bad lines
 * (CRLF and LF endings, blank lines, BOMs, invalid UTF-8, lone surrogates, truncated JSON, wrong types, a line longer
 * than a split, no newline at the end), the same file gzip/bzip2/zstd-compressed, a {@code .json} array with
 * non-object elements, and a file whose split boundaries fall exactly on line starts, LFs and CRs. The plain files
 * are cut into 16 KiB splits. Per file, the manifest's counts equal what
 * core's {@link Preprocessor} gives line by line, {@code lines = blank + records} and
 * {@code records = written + rejected} hold, the rejects file holds exactly the rejected records with file, line,
 * reason, detail and raw head, and the shards hold exactly the written samples. Then {@code max-reject-fraction}:
 * above it the version is written, the exit code is 3, the message names the top reasons, {@code _LATEST} stays.
 */
class BadInputJobTest {
  static SparkSession spark;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.session("local[2]");
  }

  @AfterAll
  static void stop() {
    if (spark != null) spark.stop();
  }

  static final Map<String, String> SETTINGS = Map.of("pack.seq-length", "1024", "output.num-shards", "2",
      "input.split-bytes", "16384", "max-reject-fraction", "1.0", "template.now", "2026-01-01T00:00");

  // ------------------------------------------------------------------ generated input

  static String q(String s) {
    return JsonWriter.compact(s);
  }

  static String good(Random r, int i) {
    String u = q("question " + i + " ünïcødé 日本 " + "word ".repeat(r.nextInt(20)));
    String a = q("answer " + i + " " + "reply ".repeat(r.nextInt(30)));
    switch (r.nextInt(4)) {
      case 0: return "{\"messages\": [{\"role\": \"user\", \"content\": " + u + "}, {\"role\": \"assistant\", \"content\": "
          + a + "}]}";
      case 1: return "{\"conversations\": [{\"from\": \"human\", \"value\": " + u + "}, {\"from\": \"gpt\", \"value\": "
          + a + "}]}";
      case 2: return "{\"instruction\": " + u + ", \"input\": \"\", \"output\": " + a + "}";
      default: return "{\"text\": " + a + "}";
    }
  }

  /** The lines of the odd file, each with its own terminator ("" for the last: no newline at the end). */
  static byte[] oddFile(Random r, int n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}); // a BOM before the first record
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(100);
      byte[] line;
      if (k < 45) {
        line = good(r, i).getBytes(StandardCharsets.UTF_8);
      } else if (k < 52) {
        line = new byte[0]; // blank
      } else if (k < 55) {
        line = " \t \r".getBytes(StandardCharsets.UTF_8); // blank too
      } else if (k < 62) {
        byte[] g = good(r, i).getBytes(StandardCharsets.UTF_8);
        line = java.util.Arrays.copyOf(g, 1 + r.nextInt(g.length - 1));
      } else if (k < 68) {
        byte[] g = good(r, i).getBytes(StandardCharsets.UTF_8);
        int at = 1 + r.nextInt(g.length - 1);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(g, 0, at);
        b.write(0xFF);
        b.write(g, at, g.length - at);
        line = b.toByteArray();
      } else if (k < 72) {
        line = "{\"messages\": [{\"role\": \"user\", \"content\": \"x\\ud800\"}, {\"role\": \"assistant\", \"content\": \"y\"}]}"
            .getBytes(StandardCharsets.UTF_8);
      } else if (k < 78) {
        String[] wrong = {"{\"messages\": 3}", "{\"messages\": [{\"role\": 1}]}", "[1, 2]", "7", "{}", "{\"q\": 1}",
          "{\"conversations\": [{\"from\": \"alien\", \"value\": \"x\"}]}", "null", "{\"messages\": []}"};
        line = wrong[r.nextInt(wrong.length)].getBytes(StandardCharsets.UTF_8);
      } else if (k < 82) {
        line = ("\uFEFF" + good(r, i)).getBytes(StandardCharsets.UTF_8); // a BOM mid-file
      } else if (k < 84) {
        String c = String.valueOf((char) (1 + r.nextInt(8)));
        line = ("{\"text\": \"raw control " + c + " char\"}").getBytes(StandardCharsets.UTF_8);
      } else {
        line = good(r, i).getBytes(StandardCharsets.UTF_8);
      }
      out.writeBytes(line);
      if (i == n / 2) {
        // one line longer than a split (16 KiB): owned by the split it starts in, skipped by the next ones
        out.writeBytes(("\n" + "{\"text\": " + q("long ".repeat(8000)) + "}").getBytes(StandardCharsets.UTF_8));
      }
      if (i < n - 1) out.writeBytes((r.nextInt(3) == 0 ? "\r\n" : "\n").getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  /**
   * Lines placed so that split boundaries (multiples of 16 KiB) fall exactly on the first byte of a line, on an LF,
   * on the CR of a CRLF, and on the LF of a CRLF: the cases where a reader that starts mid-file can lose or repeat a
   * line, or misnumber the ones after it. Every line is a distinct valid record, so a lost, repeated or misnumbered
   * line changes the sample ids.
   */
  static byte[] boundaryFile(Random r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    // per boundary: offset of the boundary within the terminator of the filler line (LF = 1 byte, CRLF = 2 bytes):
    // 1 = just after the terminator (the boundary is a line start), 0 = on the LF / on the CR, 1 of CRLF = on its LF
    String[][] cases = {{"\n", "1"}, {"\n", "0"}, {"\r\n", "0"}, {"\r\n", "1"}, {"\r\n", "2"}};
    for (int k = 0; k < cases.length; k++) {
      long boundary = 16384L * (k + 1);
      while (out.size() < boundary - 600) {
        out.writeBytes((good(r, i++) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      String term = cases[k][0];
      int at = Integer.parseInt(cases[k][1]);
      // filler: {"text": "xxx"} + term, placed so that byte `boundary` is term's byte `at` (term.length() = after it)
      int fixed = "{\"text\": \"".length() + "\"}".length();
      long pad = boundary - at - out.size() - fixed;
      out.writeBytes(("{\"text\": \"" + "f".repeat((int) pad) + "\"}" + term).getBytes(StandardCharsets.UTF_8));
    }
    for (int j = 0; j < 20; j++) out.writeBytes((good(r, i++) + "\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  static byte[] arrayFile() {
    return ("[{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"b\"}]},\n"
        + " 42, [\"x\"], {\"text\": \"plain\"}, null, {\"instruction\": \"i\", \"output\": 3},\n"
        + " {\"conversations\": [{\"from\": \"human\", \"value\": \"h\"}, {\"from\": \"gpt\", \"value\": \"g\"}]}]")
        .getBytes(StandardCharsets.UTF_8);
  }

  static byte[] compress(byte[] data, String kind) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (OutputStream o = kind.equals("gz") ? new GZIPOutputStream(b) : kind.equals("bz2")
        ? new BZip2CompressorOutputStream(b) : new ZstdOutputStream(b)) {
      o.write(data);
    }
    return b.toByteArray();
  }

  // ------------------------------------------------------------------ what core says, line by line

  /** Expected counts and rows of one file, from core's preprocessor over the lines as the job frames them. */
  static final class Expected {
    long lines;
    long blank;
    long records;
    long written;
    final Map<String, Long> rejectedByReason = new TreeMap<>();
    final Set<String> rejects = new HashSet<>(); // "line:part:reason"
    final Set<Long> sampleIds = new HashSet<>();
    final Map<Long, String> raw = new TreeMap<>();
    long samples;

    long rejected() {
      return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  static void add(Expected e, String name, long line, RecordResult r, String raw) {
    e.records += r.records();
    e.written += r.written();
    for (Rejection j : r.rejections()) {
      e.rejectedByReason.merge(j.reason().key(), 1L, Long::sum);
      e.rejects.add(line + ":" + j.part() + ":" + j.reason().key());
      if (raw != null) e.raw.put(line, raw);
    }
    for (Sample s : r.samples()) {
      e.sampleIds.add(SampleIds.of(name, line, s.part(), s.chunk()));
      e.samples++;
    }
  }

  /** One framed line: its number, whether it is blank, what core made of it, and its raw head. */
  record Framed(long line, boolean blank, RecordResult result, String raw) {}

  /** Frames lines as the job does (split at LF, a CR before it dropped) and runs core on each non-blank one. */
  static List<Framed> frame(Preprocessor p, byte[] data) {
    List<Framed> out = new ArrayList<>();
    int start = 0;
    long lineNo = 0;
    while (start < data.length) {
      int nl = start;
      while (nl < data.length && data[nl] != '\n') nl++;
      int end = nl;
      if (end > start && data[end - 1] == '\r') end--;
      lineNo++;
      boolean blank = true;
      for (int i = start; i < end; i++) {
        byte c = data[i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\f') blank = false;
      }
      String raw = end - start <= 4096 ? new String(data, start, end - start, StandardCharsets.UTF_8) : null;
      out.add(new Framed(lineNo, blank, blank ? null : p.process(data, start, end - start), raw));
      start = nl + 1;
    }
    return out;
  }

  static Expected expectLines(List<Framed> lines, String name) {
    Expected e = new Expected();
    for (Framed f : lines) {
      e.lines++;
      if (f.blank()) e.blank++;
      else add(e, name, f.line(), f.result(), f.raw());
    }
    return e;
  }

  @SuppressWarnings("unchecked")
  static Expected expectArray(Preprocessor p, String name, byte[] data) throws Exception {
    Expected e = new Expected();
    Json.parseDocument(new ByteArrayInputStream(data), (i, v) -> {
      e.lines++;
      RecordResult r = v instanceof Map ? p.process((Map<String, Object>) v)
          : RecordResult.rejected(null, Reason.NOT_AN_OBJECT, "");
      add(e, name, i + 1L, r, null);
    });
    return e;
  }

  // ------------------------------------------------------------------ the tests

  @Test
  @SuppressWarnings("unchecked")
  void oddLinesAreAllAccountedForInManifestRejectsAndShards() throws Exception {
    Path tok = SparkTestSupport.tokenizer("qwen3");
    Path in = Files.createDirectories(tmp.resolve("in"));
    byte[] odd = oddFile(new Random(7), 1500);
    Files.write(in.resolve("odd.jsonl"), odd);
    for (String c : List.of("gz", "bz2", "zst")) Files.write(in.resolve("odd.jsonl." + c), compress(odd, c));
    byte[] array = arrayFile();
    Files.write(in.resolve("records.json"), array);
    byte[] boundaries = boundaryFile(new Random(11));
    Files.write(in.resolve("boundaries.jsonl"), boundaries);
    for (int k = 1; k <= 5; k++) {
      int b = 16384 * k;
      String around = new String(boundaries, b - 2, 4, StandardCharsets.ISO_8859_1);
      assertTrue(around.contains("\n"), "boundary " + b + " sits at a line end: " + around.replace("\r", "\\r")
          .replace("\n", "\\n"));
    }

    Map<String, Expected> expected = new LinkedHashMap<>();
    ModelFiles files = ModelFiles.load(tok);
    try (HfTokenizer t = HfTokenizer.open(tok)) {
      Preprocessor p = new Preprocessor(SftConfig.fromMap(SETTINGS), files, t, files.chatTemplate(),
          LocalDateTime.of(2026, 1, 1, 0, 0));
      List<Framed> framed = frame(p, odd);
      for (String n : List.of("odd.jsonl", "odd.jsonl.gz", "odd.jsonl.bz2", "odd.jsonl.zst")) {
        expected.put(n, expectLines(framed, n));
      }
      expected.put("records.json", expectArray(p, "records.json", array));
      expected.put("boundaries.jsonl", expectLines(frame(p, boundaries), "boundaries.jsonl"));
    }
    Expected plain = expected.get("odd.jsonl");
    assertTrue(plain.blank > 60 && plain.rejected() > 300 && plain.written > 600, "the mix is as meant: blank "
        + plain.blank + ", rejected " + plain.rejected() + ", written " + plain.written);
    assertTrue(odd.length > 10 * 16384, "the plain file spans many splits: " + odd.length + " bytes");

    Path out = tmp.resolve("out");
    RunResult r = SftJob.run(spark, RunOptions.of(in.toString(), out.toString(), tok.toString(), SETTINGS));
    assertEquals(0, r.exitCode(), r.message());
    Path version = out.resolve(Files.readString(out.resolve("_LATEST")).strip());

    // ---- manifest, per file
    Map<String, Object> manifest = Json.parseObject(Files.readString(version.resolve("_manifest.json")));
    List<Object> inputs = (List<Object>) manifest.get("inputs");
    assertEquals(expected.size(), inputs.size());
    long totalRejected = 0;
    long totalSamples = 0;
    for (Object o : inputs) {
      Map<String, Object> f = (Map<String, Object>) o;
      String name = (String) f.get("name");
      Expected e = expected.get(name);
      assertNotNull(e, "unexpected input " + name);
      assertEquals(e.lines, ((Number) f.get("lines")).longValue(), name + " lines");
      assertEquals(e.blank, ((Number) f.get("blank_lines")).longValue(), name + " blank lines");
      assertEquals(e.records, ((Number) f.get("records")).longValue(), name + " records");
      assertEquals(e.written, ((Number) f.get("written")).longValue(), name + " written");
      assertEquals(e.rejected(), ((Number) f.get("rejected")).longValue(), name + " rejected");
      Map<String, Long> byReason = new TreeMap<>();
      ((Map<String, Object>) f.get("rejected_by_reason")).forEach((k, v) -> byReason.put(k, ((Number) v).longValue()));
      assertEquals(e.rejectedByReason, byReason, name + " rejected by reason");
      // the identities the issue asks for, stated on the manifest's own numbers
      long lines = ((Number) f.get("lines")).longValue();
      long blank = ((Number) f.get("blank_lines")).longValue();
      long records = ((Number) f.get("records")).longValue();
      assertEquals(lines, blank + records, name + ": lines read = blank + records (one conversation per line here)");
      assertEquals(records, ((Number) f.get("written")).longValue() + ((Number) f.get("rejected")).longValue(),
          name + ": records = written + rejected");
      totalRejected += e.rejected();
      totalSamples += e.samples;
    }

    // ---- rejects: exactly the rejected records, each with file, line, reason, detail and raw head
    List<String> rejectLines = Files.readAllLines(version.resolve(SftJob.REJECTS_FILE), StandardCharsets.UTF_8);
    assertEquals(totalRejected, rejectLines.size());
    Map<String, Set<String>> got = new TreeMap<>();
    for (String l : rejectLines) {
      Map<String, Object> j = Json.parseObject(l);
      String file = (String) j.get("source_file");
      long line = ((Number) j.get("source_line")).longValue();
      String reason = (String) j.get("reason");
      assertTrue(got.computeIfAbsent(file, k -> new HashSet<>()).add(line + ":" + j.get("part") + ":" + reason),
          "a reject appears once: " + l);
      assertFalse(((String) j.get("detail")).isEmpty(), "detail of " + l);
      String raw = (String) j.get("raw");
      assertTrue(raw.getBytes(StandardCharsets.UTF_8).length <= 4096 + 3, "raw is the line's head");
      Expected e = expected.get(file);
      if (e.raw.containsKey(line) && !reason.equals("invalid-utf8")) {
        assertEquals(e.raw.get(line), raw, file + ":" + line + " raw");
      }
    }
    for (Map.Entry<String, Expected> e : expected.entrySet()) {
      assertEquals(e.getValue().rejects, got.getOrDefault(e.getKey(), Set.of()), e.getKey() + " rejects");
    }

    // ---- shards: exactly the written samples
    Dataset<Row> rows = spark.read().parquet(version.resolve("data").toString());
    Set<Long> ids = new HashSet<>();
    long count = 0;
    for (Row row : rows.collectAsList()) {
      for (Object id : row.getList(row.fieldIndex("sample_ids"))) {
        ids.add((Long) id);
        count++;
      }
    }
    assertEquals(totalSamples, count, "samples in the shards");
    Set<Long> want = new HashSet<>();
    for (Expected e : expected.values()) want.addAll(e.sampleIds);
    assertEquals(want, ids);
  }

  @Test
  void tooManyRejectsWritesTheVersionExitsThreeNamesTheReasonsAndKeepsLatest() throws Exception {
    Path tok = SparkTestSupport.tokenizer("qwen3");
    Map<String, String> settings = Map.of("pack.seq-length", "512", "output.num-shards", "1");
    Path out = tmp.resolve("out");

    // 1. a clean corpus publishes v1
    Path clean = Files.createDirectories(tmp.resolve("clean"));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20; i++) sb.append(good(new Random(i), i)).append('\n');
    Files.writeString(clean.resolve("a.jsonl"), sb.toString());
    RunResult first = SftJob.run(spark, RunOptions.of(clean.toString(), out.toString(), tok.toString(), settings));
    assertEquals(0, first.exitCode(), first.message());
    assertEquals(first.version(), new Publisher(out.toString(), new org.apache.hadoop.conf.Configuration()).latest());

    // 2. exactly at the limit (1 of 20 = 0.05) is not above it
    Path edge = Files.createDirectories(tmp.resolve("edge"));
    Files.writeString(edge.resolve("a.jsonl"), sb.toString().replaceFirst("\\{[^\n]*\n", "{oops\n"));
    RunResult atLimit = SftJob.run(spark, RunOptions.of(edge.toString(), out.toString(), tok.toString(), settings));
    assertEquals(0, atLimit.exitCode(), atLimit.message());
    assertEquals(1, atLimit.totals().rejected);
    String latestAfterEdge = Files.readString(out.resolve("_LATEST")).strip();
    assertEquals(atLimit.version(), latestAfterEdge);

    // 3. 7 of 20 rejected: 5 invalid-json, 2 unknown-format
    Path dirty = Files.createDirectories(tmp.resolve("dirty"));
    StringBuilder bad = new StringBuilder();
    for (int i = 0; i < 13; i++) bad.append(good(new Random(100 + i), i)).append('\n');
    for (int i = 0; i < 5; i++) bad.append("{\"messages\": [").append('\n');
    bad.append("{\"question\": 1}\n{}\n");
    Files.writeString(dirty.resolve("a.jsonl"), bad.toString());
    RunResult failed = SftJob.run(spark, RunOptions.of(dirty.toString(), out.toString(), tok.toString(), settings));
    assertEquals(3, failed.exitCode(), failed.message());
    assertEquals(7, failed.totals().rejected);
    assertEquals(13, failed.totals().written);
    assertTrue(failed.message().contains("FAILED: 35.00% of records were rejected, above max-reject-fraction 5.00%"),
        failed.message());
    assertTrue(failed.message().contains("top reasons: invalid-json (5), unknown-format (2)"), failed.message());
    assertEquals(latestAfterEdge, Files.readString(out.resolve("_LATEST")).strip(), "_LATEST was not moved");
    Path written = out.resolve(failed.version());
    assertTrue(Files.exists(written.resolve("_manifest.json")), "the version is written");
    assertEquals(7, Files.readAllLines(written.resolve(SftJob.REJECTS_FILE)).size());
    assertTrue(failed.message().contains(failed.version()) && failed.message().contains("_LATEST was not moved"),
        failed.message());
  }
}
