package io.sftprep.trainer.dataset;

/**
 * A place in a {@link ShardDataset}'s stream: {@code row} rows of shard {@code shard} (its index in the manifest)
 * have been delivered, in the epoch's order. Every row of a batch carries the position it was delivered at
 * ({@code Batch.getIndices()}); {@link ShardDataset#resumePoint} gives the position after a batch, and a dataset
 * built with the same seed, epoch and shuffle buffer and {@code optStartAt(thatPosition)} delivers exactly the rows
 * that would have followed.
 */
public record Position(int shard, long row) {
  public Position {
    if (shard < 0) throw new IllegalArgumentException("Position shard must be >= 0, got " + shard);
    if (row < 0) throw new IllegalArgumentException("Position row must be >= 0, got " + row);
  }

  /** The position after this row. */
  public Position next() {
    return new Position(shard, row + 1);
  }
}
