package io.sftprep.trainer.dataset;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import io.sftprep.trainer.batch.PackedBatch;
import io.sftprep.trainer.read.ShardRow;
import java.util.List;

/**
 * A DJL {@link Batch} from a {@link ShardDataset}: the arrays, plus the plain-Java batch they were made from
 * ({@link #packed()}: token counts, segments), the rows ({@link #rows()}: sample ids, shard and file row) and each
 * row's {@link Position} ({@link #getIndices()}).
 */
public final class ShardBatch extends Batch {
  private final PackedBatch packed;
  private final List<ShardRow> rows;
  private final List<Position> positions;

  ShardBatch(NDManager manager, NDList data, NDList labels, Batchifier split, long progress, long total,
      PackedBatch packed, List<ShardRow> rows, List<Position> positions) {
    super(manager, data, labels, packed.rows(), split, split, progress, total, positions);
    this.packed = packed;
    this.rows = List.copyOf(rows);
    this.positions = List.copyOf(positions);
  }

  public PackedBatch packed() {
    return packed;
  }

  /** The rows of the batch as read (and transformed): sample ids, source shard and row. */
  public List<ShardRow> rows() {
    return rows;
  }

  /** The position after this batch's last row: where a resumed dataset starts. */
  public Position resumePoint() {
    return positions.get(positions.size() - 1).next();
  }
}
