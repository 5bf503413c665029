package io.sftprep.job.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a {@code sftprep run} spent its time, from a JFR recording made with {@link #SETTINGS}: Java code from
 * execution samples (every {@value #PERIOD_MS} ms per running thread), each sample given to the first matching
 * category of its stack; the tokenizer's native calls and the Parquet writer (ZSTD is native too, which the
 * sampler cannot see) from the {@code io.sftprep.Tokenize} and {@code io.sftprep.ShardWrite} events, whose
 * samples are not counted again; garbage collection from its pauses.
 */
final class JfrProfile {
  static final int PERIOD_MS = 10;

  /** A recording configuration: execution samples, sftprep's events, GC pauses, deep stacks. */
  static final String SETTINGS = String.join("\n",
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
      "<configuration version=\"2.0\" label=\"sftprep bench\">",
      "  <event name=\"jdk.ExecutionSample\"><setting name=\"enabled\">true</setting>"
          + "<setting name=\"period\">" + PERIOD_MS + " ms</setting></event>",
      "  <event name=\"jdk.GarbageCollection\"><setting name=\"enabled\">true</setting>"
          + "<setting name=\"threshold\">0 ms</setting></event>",
      "  <event name=\"io.sftprep.Tokenize\"><setting name=\"enabled\">true</setting>"
          + "<setting name=\"threshold\">0 ms</setting></event>",
      "  <event name=\"io.sftprep.ShardWrite\"><setting name=\"enabled\">true</setting>"
          + "<setting name=\"threshold\">0 ms</setting></event>",
      "</configuration>", "");

  /** The JVM flags that record {@code jfr} with these settings (written to {@code jfc}). */
  static List<String> flags(Path jfr, Path jfc) throws IOException {
    Files.writeString(jfc, SETTINGS);
    return List.of("-XX:FlightRecorderOptions:stackdepth=512",
        "-XX:StartFlightRecording=filename=" + jfr + ",settings=" + jfc + ",dumponexit=true");
  }

  static final String TOKENIZER = "tokenizer (native encode, JNI)";
  static final String TEMPLATE = "template (Jinja render, all prefixes)";
  static final String MASKS = "masks (spans, labels)";
  static final String PACKING = "packing (BFD, rows)";
  static final String PARQUET = "Parquet write (encode, ZSTD, file)";
  static final String JSON = "JSON parse + format";
  static final String INPUT = "input read (lines, SHA-256)";
  static final String SFTPREP = "sftprep other (pipeline, ids, stats)";
  static final String SPARK = "Spark + JVM other (scheduling, serialization, shuffle)";
  static final String GC = "GC pauses";

  /** Seconds per category, in a fixed order. */
  static Map<String, Double> seconds(Path jfr) throws IOException {
    Map<String, Double> s = new LinkedHashMap<>();
    for (String c : List.of(TOKENIZER, TEMPLATE, MASKS, PACKING, PARQUET, JSON, INPUT, SFTPREP, SPARK, GC)) {
      s.put(c, 0.0);
    }
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      String type = e.getEventType().getName();
      switch (type) {
        case "io.sftprep.Tokenize":
          s.merge(TOKENIZER, e.getDuration().toNanos() / 1e9, Double::sum);
          break;
        case "io.sftprep.ShardWrite":
          s.merge(PARQUET, e.getDuration().toNanos() / 1e9, Double::sum);
          break;
        case "jdk.GarbageCollection":
          s.merge(GC, e.getDuration("sumOfPauses").toNanos() / 1e9, Double::sum);
          break;
        case "jdk.ExecutionSample":
          String c = category(e.getStackTrace() == null ? List.of() : e.getStackTrace().getFrames());
          if (c != null) s.merge(c, PERIOD_MS / 1e3, Double::sum);
          break;
        default:
          break;
      }
    }
    return s;
  }

  /** The category of a sample's stack (leaf first), or null when an event already counts it. */
  static String category(List<RecordedFrame> frames) {
    boolean template = false;
    String first = null;
    for (RecordedFrame f : frames) {
      if (f.getMethod() == null) continue;
      String cls = f.getMethod().getType().getName();
      String m = f.getMethod().getName();
      if (cls.equals("io.sftprep.core.tokenize.HfTokenizer") && m.startsWith("encode")) return null;
      if (cls.equals("io.sftprep.job.write.ShardWriter") && (m.equals("write") || m.equals("finish"))) return null;
      if (cls.startsWith("io.sftprep.core.template.")) template = true;
      if (first == null) first = categoryOf(cls);
    }
    if (template) return TEMPLATE;
    return first == null ? SPARK : first;
  }

  private static String categoryOf(String cls) {
    if (cls.startsWith("io.sftprep.core.tokenize.TokenLengths") || cls.startsWith("io.sftprep.core.mask.")) {
      return MASKS;
    }
    if (cls.startsWith("io.sftprep.core.tokenize.") || cls.startsWith("ai.djl.")) return TOKENIZER;
    if (cls.startsWith("io.sftprep.core.pack.")) return PACKING;
    if (cls.startsWith("org.apache.parquet.") || cls.startsWith("com.github.luben.zstd.")
        || cls.startsWith("io.sftprep.job.write.")) {
      return PARQUET;
    }
    if (cls.startsWith("io.sftprep.core.json.") || cls.startsWith("io.sftprep.core.format.")
        || cls.startsWith("io.sftprep.core.conversation.")) {
      return JSON;
    }
    if (cls.startsWith("io.sftprep.job.input.")) return INPUT;
    if (cls.startsWith("io.sftprep.")) return SFTPREP;
    return null;
  }
}
