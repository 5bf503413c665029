package io.sftprep.core.stats;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Counts of values in fixed buckets {@code [edges[i], edges[i+1])}, the last bucket open-ended. Mergeable, so
 * each task counts its own and the driver adds them up.
 */
public final class Histogram implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double[] edges;
  private final long[] counts;
  private long total;
  private double sum;
  private double max = Double.NEGATIVE_INFINITY;

  public Histogram(double[] edges) {
    if (edges.length < 1) throw new IllegalArgumentException("Cannot make histogram: no bucket edges");
    this.edges = edges.clone();
    this.counts = new long[edges.length];
  }

  /** Buckets for token lengths: fine below 1K, a quarter of each power of two above, open past 1M. */
  public static Histogram tokenLengths() {
    return new Histogram(new double[] {0, 16, 32, 48, 64, 96, 128, 160, 192, 256, 320, 384, 448, 512, 640, 768, 896,
      1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192, 10240, 12288, 14336, 16384,
      24576, 32768, 49152, 65536, 131072, 262144, 524288, 1048576});
  }

  /** {@code n} equal buckets over {@code [0, 1]}: for fractions. */
  public static Histogram fractions(int n) {
    double[] e = new double[n];
    for (int i = 0; i < n; i++) e[i] = (double) i / n;
    return new Histogram(e);
  }

  public void add(double v) {
    int i = Arrays.binarySearch(edges, v);
    if (i < 0) i = -i - 2;
    counts[Math.max(0, Math.min(counts.length - 1, i))]++;
    total++;
    sum += v;
    if (v > max) max = v;
  }

  public void merge(Histogram o) {
    if (!Arrays.equals(edges, o.edges)) throw new IllegalArgumentException("Cannot merge histograms: edges differ");
    for (int i = 0; i < counts.length; i++) counts[i] += o.counts[i];
    total += o.total;
    sum += o.sum;
    max = Math.max(max, o.max);
  }

  public double[] edges() {
    return edges.clone();
  }

  public long[] counts() {
    return counts.clone();
  }

  public long total() {
    return total;
  }

  public double mean() {
    return total == 0 ? 0 : sum / total;
  }

  public double max() {
    return total == 0 ? 0 : max;
  }
}
