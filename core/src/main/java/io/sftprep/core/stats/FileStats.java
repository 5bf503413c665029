package io.sftprep.core.stats;

import io.sftprep.core.pipeline.RecordResult;
import io.sftprep.core.pipeline.Rejection;
import io.sftprep.core.pipeline.Sample;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of one input file. Invariants, checked by {@link #check()}: {@code lines = blankLines + lines with a
 * record}, and {@code records = written + rejected} with {@code rejected} = the sum over reasons.
 */
public final class FileStats implements Serializable {
  private static final long serialVersionUID = 1L;
  public long lines;
  public long blankLines;
  public long records;
  public long written;
  public long rejected;
  public long samples;
  public long tokens;
  public long trainedTokens;
  public long truncated;
  public long specialTextHits;
  public final TreeMap<String, Long> rejectedByReason = new TreeMap<>();
  public final TreeMap<String, Long> formats = new TreeMap<>();

  public void addBlank() {
    lines++;
    blankLines++;
  }

  public void add(RecordResult r) {
    lines++;
    records += r.records();
    written += r.written();
    rejected += r.rejections().size();
    specialTextHits += r.specialTextHits();
    formats.merge(r.format() == null ? "unknown" : r.format().key(), 1L, Long::sum);
    for (Rejection j : r.rejections()) rejectedByReason.merge(j.reason().key(), 1L, Long::sum);
    for (Sample s : r.samples()) {
      samples++;
      tokens += s.length();
      trainedTokens += s.numTrained();
      if (s.truncated() && s.chunk() == 0) truncated++;
    }
  }

  public void merge(FileStats o) {
    lines += o.lines;
    blankLines += o.blankLines;
    records += o.records;
    written += o.written;
    rejected += o.rejected;
    samples += o.samples;
    tokens += o.tokens;
    trainedTokens += o.trainedTokens;
    truncated += o.truncated;
    specialTextHits += o.specialTextHits;
    o.rejectedByReason.forEach((k, v) -> rejectedByReason.merge(k, v, Long::sum));
    o.formats.forEach((k, v) -> formats.merge(k, v, Long::sum));
  }

  /** Throws when the accounting does not add up. */
  public void check(String file) {
    long byReason = rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
    if (records != written + rejected || rejected != byReason) {
      throw new IllegalStateException("accounting of " + file + " does not add up: records " + records
          + ", written " + written + ", rejected " + rejected + ", by reason " + byReason);
    }
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("lines", lines);
    m.put("blank_lines", blankLines);
    m.put("records", records);
    m.put("written", written);
    m.put("rejected", rejected);
    m.put("rejected_by_reason", new TreeMap<>(rejectedByReason));
    m.put("formats", new TreeMap<>(formats));
    m.put("samples", samples);
    m.put("tokens", tokens);
    m.put("trained_tokens", trainedTokens);
    m.put("truncated", truncated);
    m.put("special_token_text", specialTextHits);
    return m;
  }
}
