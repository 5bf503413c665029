package io.sftprep.job;

import io.sftprep.core.json.Json;
import io.sftprep.core.json.JsonException;
import io.sftprep.core.json.JsonWriter;
import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.core.pipeline.Reason;
import io.sftprep.core.pipeline.RecordResult;
import io.sftprep.core.pipeline.Rejection;
import io.sftprep.core.pipeline.Sample;
import io.sftprep.core.stats.RunStats;
import io.sftprep.job.Items.Item;
import io.sftprep.job.Items.RejectRow;
import io.sftprep.job.Items.SampleRow;
import io.sftprep.job.Items.StatsRow;
import io.sftprep.job.input.InputFile;
import io.sftprep.job.input.InputSplit;
import io.sftprep.job.input.SplitReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;

/**
 * Runs core's {@link Preprocessor} over the lines of one split, lazily: items are produced as the iterator is
 * consumed, so memory does not grow with the split. The split's {@link RunStats} come last.
 */
public final class SplitProcessor {
  private SplitProcessor() {}

  public static Iterator<Item> process(JobSpec spec, InputSplit split) {
    Preprocessor p = Executors.preprocessor(spec);
    Configuration conf = Executors.hadoopConf(spec.hadoopConf());
    RunStats stats = new RunStats();
    stats.file(split.file().name());
    if (split.file().kind() == InputFile.Kind.JSON) return jsonDocument(p, split, conf, stats);
    return new LineItems(p, split, conf, stats);
  }

  static void emit(InputSplit split, long line, RecordResult r, byte[] raw, int rawLen, RunStats stats,
      java.util.Collection<Item> out) {
    String name = split.file().name();
    stats.add(name, r);
    for (Sample s : r.samples()) {
      out.add(new SampleRow(SampleIds.of(name, line, s.part(), s.chunk()), split.fileIndex(), line, s.part(),
          s.chunk(), s.inputIds(), s.labels()));
    }
    for (Rejection j : r.rejections()) {
      out.add(new RejectRow(split.fileIndex(), line, j.part(), j.reason().key(), j.detail(), rawHead(raw, rawLen)));
    }
  }

  static String rawHead(byte[] raw, int len) {
    if (raw == null) return "";
    int n = Math.min(len, SplitReader.RAW_HEAD_BYTES);
    while (n > 0 && n < len && (raw[n] & 0xC0) == 0x80) n--; // do not cut a UTF-8 sequence
    return new String(raw, 0, n, StandardCharsets.UTF_8);
  }

  private static boolean blank(byte[] b, int len) {
    for (int i = 0; i < len; i++) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\f') return false;
    }
    return true;
  }

  /** Lines of a JSONL split, preprocessed one at a time. */
  private static final class LineItems implements Iterator<Item> {
    private final Preprocessor p;
    private final InputSplit split;
    private final RunStats stats;
    private final ArrayDeque<Item> pending = new ArrayDeque<>();
    private SplitReader.Lines lines;
    private boolean statsSent;

    LineItems(Preprocessor p, InputSplit split, Configuration conf, RunStats stats) {
      this.p = p;
      this.split = split;
      this.stats = stats;
      try {
        this.lines = SplitReader.lines(split, conf);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + split.file().uri(), e);
      }
    }

    @Override
    public boolean hasNext() {
      while (pending.isEmpty()) {
        if (lines == null) {
          if (statsSent) return false;
          pending.add(new StatsRow(stats));
          statsSent = true;
          break;
        }
        try {
          if (!lines.next()) {
            lines.close();
            lines = null;
            continue;
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + split.file().uri(), e);
        }
        long no = lines.lineNo();
        byte[] b = lines.bytes();
        int len = lines.length();
        if (lines.tooLong()) {
          RecordResult r = RecordResult.rejected(null, Reason.TOO_LONG, "the line is " + lines.fullLength()
              + " bytes, over the " + SplitReader.MAX_LINE_BYTES + "-byte limit of one record");
          emit(split, no, r, b, len, stats, pending);
        } else if (blank(b, len)) {
          stats.file(split.file().name()).addBlank();
        } else {
          emit(split, no, p.process(b, 0, len), b, len, stats, pending);
        }
      }
      return true;
    }

    @Override
    public Item next() {
      if (!hasNext()) throw new NoSuchElementException();
      return pending.poll();
    }
  }

  /** A {@code .json} file: one record per array element (line = 1-based element index), or one object. */
  @SuppressWarnings("unchecked")
  private static Iterator<Item> jsonDocument(Preprocessor p, InputSplit split, Configuration conf, RunStats stats) {
    List<Item> out = new ArrayList<>();
    int[] count = {0};
    try (InputStream in = SplitReader.open(split.file(), conf)) {
      Json.parseDocument(in, (index, value) -> {
        count[0]++;
        byte[] raw = rawOf(value);
        RecordResult r = value instanceof Map ? p.process((Map<String, Object>) value)
            : RecordResult.rejected(null, Reason.NOT_AN_OBJECT, "element " + index + " is a JSON "
                + Json.typeName(value) + ", expected an object");
        emit(split, index + 1L, r, raw, raw.length, stats, out);
      });
    } catch (JsonException e) {
      RecordResult r = RecordResult.rejected(null, Reason.INVALID_JSON, e.getMessage());
      emit(split, count[0] + 1L, r, null, 0, stats, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + split.file().uri(), e);
    }
    out.add(new StatsRow(stats));
    return out.iterator();
  }

  private static byte[] rawOf(Object value) {
    String s;
    try {
      s = JsonWriter.compact(value);
    } catch (RuntimeException e) {
      s = String.valueOf(value);
    }
    if (s.length() > SplitReader.RAW_HEAD_BYTES) s = s.substring(0, SplitReader.RAW_HEAD_BYTES);
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
