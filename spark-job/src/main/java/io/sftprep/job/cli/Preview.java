package io.sftprep.job.cli;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.json.Json;
import io.sftprep.core.json.JsonWriter;
import io.sftprep.core.mask.Labels;
import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.core.pipeline.Reason;
import io.sftprep.core.pipeline.RecordResult;
import io.sftprep.core.pipeline.Rejection;
import io.sftprep.core.pipeline.Sample;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
import io.sftprep.job.Executors;
import io.sftprep.job.input.InputFile;
import io.sftprep.job.input.InputPlanner;
import io.sftprep.job.input.InputSplit;
import io.sftprep.job.input.SplitReader;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * {@code sftprep preview}: the job's own per-record path (core's {@link Preprocessor}) on the first lines of one
 * file, in this JVM, no Spark. {@code --json} prints one object per input line; otherwise each record is shown with
 * its trained tokens highlighted and its prompt dimmed.
 */
final class Preview {
  private Preview() {}

  static int run(String[] argv) throws Exception {
    Args a = Args.parse(argv, Set.of("json", "no-color"), Set.of("tokenizer", "input", "limit", "config",
        "chat-template", "format"));
    Configuration conf = new Configuration();
    SftConfig config = SftConfig.fromMap(Main.settings(a, conf));
    java.nio.file.Path dir = Executors.localTokenizer(a.require("tokenizer"), conf);
    ModelFiles model = ModelFiles.load(dir);
    String template = config.chatTemplateFile() != null ? readText(config.chatTemplateFile(), conf)
        : model.chatTemplate();
    LocalDateTime now = config.templateNow() != null ? config.templateNow()
        : LocalDate.now(ZoneOffset.UTC).atStartOfDay();
    long limit = a.get("limit") == null ? Long.MAX_VALUE : Long.parseLong(a.get("limit"));
    boolean json = a.has("json");
    boolean color = !a.has("no-color") && System.getenv("NO_COLOR") == null;
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    List<InputFile> files = InputPlanner.listFiles(a.require("input"), conf);
    try (HfTokenizer tok = HfTokenizer.open(dir)) {
      Preprocessor p = new Preprocessor(config, model, tok, template, now);
      long shown = 0;
      for (int f = 0; f < files.size() && shown < limit; f++) {
        InputFile file = files.get(f);
        InputSplit split = new InputSplit(f, file, 0, 0, file.size(), 1);
        if (file.kind() == InputFile.Kind.JSON) {
          List<Object> records = new ArrayList<>();
          try (InputStream in = SplitReader.open(file, conf)) {
            Json.parseDocument(in, (i, v) -> records.add(v));
          }
          for (int i = 0; i < records.size() && shown < limit; i++, shown++) {
            Object v = records.get(i);
            @SuppressWarnings("unchecked")
            RecordResult r = v instanceof Map ? p.process((Map<String, Object>) v)
                : RecordResult.rejected(null, Reason.NOT_AN_OBJECT, "not an object");
            print(out, file.name(), i + 1, r, tok, json, color);
          }
          continue;
        }
        try (SplitReader.Lines lines = SplitReader.lines(split, conf)) {
          while (shown < limit && lines.next()) {
            if (lines.length() == 0 || new String(lines.bytes(), 0, lines.length(), StandardCharsets.UTF_8).isBlank()) {
              continue;
            }
            RecordResult r = lines.tooLong()
                ? RecordResult.rejected(null, Reason.TOO_LONG, "line of " + lines.fullLength() + " bytes")
                : p.process(lines.bytes(), 0, lines.length());
            print(out, file.name(), lines.lineNo(), r, tok, json, color);
            shown++;
          }
        }
      }
    }
    out.flush();
    return 0;
  }

  private static void print(PrintStream out, String file, long line, RecordResult r, HfTokenizer tok, boolean json,
      boolean color) {
    if (json) {
      out.println(JsonWriter.compact(jsonOf(line, r, tok)));
      return;
    }
    String fmt = r.format() == null ? "?" : r.format().key();
    for (Rejection j : r.rejections()) {
      out.printf("%s:%d [%s] part %d REJECTED %s: %s%n%n", file, line, fmt, j.part(), j.reason().key(), j.detail());
    }
    for (Sample s : r.samples()) {
      out.printf("%s:%d [%s] part %d: %d tokens, %d trained%s%n", file, line, fmt, s.part(), s.length(),
          s.numTrained(), s.truncated() ? " (truncated)" : "");
      out.println(highlight(s.inputIds(), s.labels(), tok, color));
      out.println();
    }
  }

  static Map<String, Object> jsonOf(long line, RecordResult r, HfTokenizer tok) {
    List<Map<String, Object>> parts = new ArrayList<>();
    for (Sample s : r.samples()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("part", s.part());
      o.put("status", "ok");
      o.put("reason", null);
      o.put("text", tok.decode(s.inputIds()));
      o.put("input_ids", ints(s.inputIds()));
      o.put("labels", ints(s.labels()));
      parts.add(o);
    }
    for (Rejection j : r.rejections()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("part", j.part());
      o.put("status", "rejected");
      o.put("reason", j.reason().key());
      o.put("detail", j.detail());
      o.put("text", null);
      o.put("input_ids", null);
      o.put("labels", null);
      parts.add(o);
    }
    parts.sort((x, y) -> Integer.compare((Integer) x.get("part"), (Integer) y.get("part")));
    Map<String, Object> first = parts.get(0);
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("line", line);
    o.put("format", r.format() == null ? null : r.format().key());
    o.put("status", first.get("status"));
    o.put("reason", first.get("reason"));
    if (first.containsKey("detail")) o.put("detail", first.get("detail"));
    o.put("text", first.get("text"));
    o.put("input_ids", first.get("input_ids"));
    o.put("labels", first.get("labels"));
    if (parts.size() > 1) o.put("parts", parts);
    return o;
  }

  private static List<Object> ints(int[] a) {
    List<Object> l = new ArrayList<>(a.length);
    for (int v : a) l.add((long) v);
    return l;
  }

  /** The decoded text, trained runs bold green, prompt runs dimmed (or marked with ⟦ ⟧ without colour). */
  static String highlight(int[] ids, int[] labels, HfTokenizer tok, boolean color) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < ids.length) {
      boolean trained = labels[i] != Labels.IGNORE;
      int j = i;
      while (j < ids.length && (labels[j] != Labels.IGNORE) == trained) j++;
      String text = tok.decode(java.util.Arrays.copyOfRange(ids, i, j));
      if (color) sb.append(trained ? "\033[1;32m" : "\033[2m").append(text).append("\033[0m");
      else sb.append(trained ? "⟦" + text + "⟧" : text);
      i = j;
    }
    return sb.toString();
  }

  static String readText(String uri, Configuration conf) throws java.io.IOException {
    Path p = new Path(uri);
    try (InputStream in = p.getFileSystem(conf).open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
