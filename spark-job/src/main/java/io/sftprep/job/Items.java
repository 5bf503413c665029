package io.sftprep.job;

import io.sftprep.core.mask.Labels;
import io.sftprep.core.stats.RunStats;
import java.io.Serializable;

/**
 * What preprocessing a split yields, kept between the Spark stages: samples, rejects, and the split's stats.
 * Plain classes with mutable fields (not records), so both Java and Kryo serialization can carry them.
 */
public final class Items {
  private Items() {}

  public interface Item extends Serializable {}

  /** A sample; its labels are kept as one bit per token ({@link Labels#trainedBits}), the cache and shuffle carry it. */
  public static final class SampleRow implements Item {
    private static final long serialVersionUID = 2L;
    public long sampleId;
    public int fileIndex;
    public long line;
    public int part;
    public int chunk;
    public int[] inputIds;
    public byte[] trained;

    public SampleRow() {}

    public SampleRow(long sampleId, int fileIndex, long line, int part, int chunk, int[] inputIds, int[] labels) {
      this.sampleId = sampleId;
      this.fileIndex = fileIndex;
      this.line = line;
      this.part = part;
      this.chunk = chunk;
      this.inputIds = inputIds;
      this.trained = Labels.trainedBits(inputIds, labels);
    }

    public int[] labels() {
      return Labels.fromTrainedBits(inputIds, trained);
    }
  }

  public static final class RejectRow implements Item {
    private static final long serialVersionUID = 1L;
    public int fileIndex;
    public long line;
    public int part;
    public String reason;
    public String detail;
    public String raw;

    public RejectRow() {}

    public RejectRow(int fileIndex, long line, int part, String reason, String detail, String raw) {
      this.fileIndex = fileIndex;
      this.line = line;
      this.part = part;
      this.reason = reason;
      this.detail = detail;
      this.raw = raw;
    }
  }

  public static final class StatsRow implements Item {
    private static final long serialVersionUID = 1L;
    public RunStats stats;

    public StatsRow() {}

    public StatsRow(RunStats stats) {
      this.stats = stats;
    }
  }
}
