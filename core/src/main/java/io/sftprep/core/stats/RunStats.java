package io.sftprep.core.stats;

import io.sftprep.core.pipeline.RecordResult;
import io.sftprep.core.pipeline.Sample;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything counted while preprocessing: per-file {@link FileStats} and the distributions the report draws
 * (sample length before and after overflow handling, trained fraction). Built per task, merged on the driver.
 */
public final class RunStats implements Serializable {
  private static final long serialVersionUID = 1L;
  public final TreeMap<String, FileStats> files = new TreeMap<>();
  public final Histogram lengthBefore = Histogram.tokenLengths();
  public final Histogram lengthAfter = Histogram.tokenLengths();
  public final Histogram trainedFraction = Histogram.fractions(20);

  public FileStats file(String name) {
    return files.computeIfAbsent(name, k -> new FileStats());
  }

  public void add(String file, RecordResult r) {
    file(file).add(r);
    int lastPart = -1;
    for (Sample s : r.samples()) {
      if (s.part() != lastPart) lengthBefore.add(s.fullLength());
      lastPart = s.part();
      lengthAfter.add(s.length());
      trainedFraction.add(s.length() == 0 ? 0 : (double) s.numTrained() / s.length());
    }
  }

  public void merge(RunStats o) {
    o.files.forEach((k, v) -> file(k).merge(v));
    lengthBefore.merge(o.lengthBefore);
    lengthAfter.merge(o.lengthAfter);
    trainedFraction.merge(o.trainedFraction);
  }

  public FileStats totals() {
    FileStats t = new FileStats();
    for (FileStats f : files.values()) t.merge(f);
    return t;
  }

  public void check() {
    files.forEach((k, v) -> v.check(k));
  }

  public Map<String, FileStats> byFile() {
    return java.util.Collections.unmodifiableMap(files);
  }

  public Map<String, Object> totalsMap() {
    return totals().toMap();
  }

  /** Reasons by count, largest first, as "reason (n)" for messages. */
  public String topReasons(int k) {
    TreeMap<String, Long> all = totals().rejectedByReason;
    return all.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(k)
        .map(e -> e.getKey() + " (" + e.getValue() + ")")
        .reduce((a, b) -> a + ", " + b).orElse("none");
  }
}
