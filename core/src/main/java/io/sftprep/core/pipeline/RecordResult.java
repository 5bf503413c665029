package io.sftprep.core.pipeline;

import io.sftprep.core.format.Format;
import java.util.List;

/**
 * What one input line became: its detected layout (null when it could not be read), its samples and its
 * rejections. {@link #records()} = samples' parts + rejections is the unit the stats count, so that records =
 * written + rejected holds exactly.
 */
public record RecordResult(Format format, List<Sample> samples, List<Rejection> rejections, int specialTextHits) {
  public RecordResult {
    samples = List.copyOf(samples);
    rejections = List.copyOf(rejections);
  }

  public static RecordResult rejected(Format format, Reason reason, String detail) {
    return new RecordResult(format, List.of(), List.of(new Rejection(0, reason, detail)), 0);
  }

  /** Conversations written: distinct parts among the samples. */
  public int written() {
    return (int) samples.stream().mapToInt(Sample::part).distinct().count();
  }

  public int records() {
    return written() + rejections.size();
  }
}
