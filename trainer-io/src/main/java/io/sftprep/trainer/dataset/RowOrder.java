package io.sftprep.trainer.dataset;

import java.util.SplittableRandom;

/**
 * The order an epoch delivers rows in. Unshuffled: shards in manifest order, rows in file order. Shuffled with a
 * seed: shards in a permutation drawn from {@code (seed, epoch)}, and each shard's rows in consecutive windows of
 * {@code window} rows, each window permuted by a generator drawn from {@code (seed, epoch, shard, window index)}.
 * Because every window's permutation depends only on those four numbers, any position can be resumed exactly by
 * re-reading one window.
 */
record RowOrder(boolean shuffled, long seed, int epoch, int window) {
  static RowOrder inFileOrder() {
    return new RowOrder(false, 0, 0, 1);
  }

  static RowOrder shuffled(long seed, int epoch, int window) {
    if (window <= 0) throw new IllegalArgumentException("Shuffle buffer must be positive, got " + window);
    return new RowOrder(true, seed, epoch, window);
  }

  int[] shardOrder(int shards) {
    int[] order = identity(shards);
    if (shuffled) permute(order, new SplittableRandom(mix(seed, epoch, -1, -1)));
    return order;
  }

  /** The order to deliver a window of {@code size} rows (row {@code windowIndex * window} first in the file). */
  int[] windowOrder(int shard, long windowIndex, int size) {
    int[] order = identity(size);
    if (shuffled) permute(order, new SplittableRandom(mix(seed, epoch, shard, windowIndex)));
    return order;
  }

  /** Where the window holding the {@code delivered}-th row of a shard starts in the file. */
  long windowStart(long delivered) {
    return shuffled ? delivered / window * window : delivered;
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    return a;
  }

  private static void permute(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static long mix(long seed, long epoch, long shard, long window) {
    long h = splitmix(seed);
    h = splitmix(h ^ epoch);
    h = splitmix(h ^ shard);
    return splitmix(h ^ window);
  }

  private static long splitmix(long x) {
    long z = x + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
