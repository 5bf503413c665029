package io.sftprep.trainer.dataset;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.Batchifier;
import ai.djl.util.Progress;
import io.sftprep.trainer.batch.AttentionLayout;
import io.sftprep.trainer.batch.PackedBatch;
import io.sftprep.trainer.batch.Padding;
import io.sftprep.trainer.read.Published;
import io.sftprep.trainer.read.ShardRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A DJL {@link Dataset} over sftprep output: reads the version {@code DIR/_LATEST} names (or one given), streams
 * its shards with parquet-hadoop, optionally shuffles (shards, then rows within a window, from a seed), and
 * delivers {@link ShardBatch}es whose data are {@code input_ids}, {@code position_ids} and the attention structure
 * ({@link AttentionLayout}) and whose labels are {@code labels}; see {@link PackedBatch#data}. Each row of a batch
 * carries its {@link Position} in {@code Batch.getIndices()}; {@link #resumePoint} and
 * {@link Builder#optStartAt} resume a stream exactly.
 *
 * <pre>{@code
 * ShardDataset data = ShardDataset.builder().setRoot("out/sample").setBatchSize(8).optShuffle(42).build();
 * data.prepare();
 * for (Batch b : data.getData(manager)) { ... b.close(); }
 * }</pre>
 *
 * Each {@code getData} iterates one epoch; the epoch number is a setting ({@link Builder#optEpoch}) so that a
 * trainer states which epoch it is on. Batches live in a sub-manager of the given one; close each when done.
 */
public final class ShardDataset implements Dataset {
  private final String root;
  private final String version;
  private final Configuration conf;
  private final int batchSize;
  private final RowOrder order;
  private final Position start;
  private final Padding padding;
  private final OptionalInt padTokenId;
  private final Set<AttentionLayout> layouts;
  private final LastBatch lastBatch;
  private final UnaryOperator<ShardRow> transform;
  private Published published;

  private ShardDataset(Builder b) {
    this.root = b.root;
    this.version = b.version;
    this.conf = b.conf == null ? new Configuration() : b.conf;
    this.batchSize = b.batchSize;
    this.order = b.seed == null ? RowOrder.inFileOrder() : RowOrder.shuffled(b.seed, b.epoch, b.shuffleBuffer);
    this.start = b.start;
    this.padding = b.padding;
    this.padTokenId = b.padTokenId;
    this.layouts = Collections.unmodifiableSet(EnumSet.copyOf(b.layouts));
    this.lastBatch = b.lastBatch;
    this.transform = b.transform;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Reads the manifest (once). */
  @Override
  public void prepare(Progress progress) throws IOException {
    open();
  }

  private void open() throws IOException {
    if (published != null) return;
    Path dir = new Path(root);
    published = version == null ? Published.latest(dir, conf) : Published.version(dir, version, conf);
  }

  /** The version read; {@link #prepare} first. */
  public Published published() {
    if (published == null) throw new IllegalStateException("Call prepare() before reading the dataset");
    return published;
  }

  /** The batches of one epoch as DJL {@link Batch}es on {@code manager}'s device. */
  @Override
  public Iterable<Batch> getData(NDManager manager) throws IOException {
    open();
    long total = published.totalRows();
    return () -> new Iterator<>() {
      private final BatchIterator it = new BatchIterator();
      private long rows;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Batch next() {
        Rows next = it.next();
        PackedBatch pb = PackedBatch.of(next.rows(), padding, padId());
        rows += pb.rows();
        NDManager sub = manager.newSubManager();
        NDList data = pb.data(sub, layouts);
        NDList labels = pb.labels(sub);
        // every array has the rows on axis 0 unless cu_seqlens is asked for: only then can DJL not split the batch
        Batchifier split = layouts.contains(AttentionLayout.CU_SEQLENS) ? null : Batchifier.STACK;
        return new ShardBatch(sub, data, labels, split, rows, total, pb, next.rows(), next.positions());
      }
    };
  }

  /** The batches of one epoch in plain Java arrays, with no NDArrays (for trainers outside DJL and for tests). */
  public Iterable<PackedBatch> batches() throws IOException {
    open();
    return () -> new Iterator<>() {
      private final BatchIterator it = new BatchIterator();

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public PackedBatch next() {
        return PackedBatch.of(it.next().rows(), padding, padId());
      }
    };
  }

  /** The position after the last row of {@code batch}: start a dataset there to resume. */
  public static Position resumePoint(Batch batch) {
    List<?> indices = batch.getIndices();
    if (indices == null || indices.isEmpty() || !(indices.get(indices.size() - 1) instanceof Position p)) {
      throw new IllegalArgumentException("Not a ShardDataset batch: its indices are " + indices);
    }
    return p.next();
  }

  private int padId() {
    if (padTokenId.isPresent()) return padTokenId.getAsInt();
    return published.padTokenId().orElse(0);
  }

  private record Rows(List<ShardRow> rows, List<Position> positions) {}

  /** Groups the row stream into batches; closes the shard it holds when the epoch ends. */
  private final class BatchIterator {
    private final RowStream rows;
    private List<ShardRow> pending;
    private List<Position> pendingPositions;

    BatchIterator() {
      try {
        rows = new RowStream(published, conf, order, start);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    boolean hasNext() {
      if (pending == null) fill();
      return pending != null;
    }

    Rows next() {
      if (!hasNext()) throw new NoSuchElementException("End of epoch");
      Rows batch = new Rows(pending, pendingPositions);
      pending = null;
      return batch;
    }

    private void fill() {
      List<ShardRow> batch = new ArrayList<>(batchSize);
      List<Position> positions = new ArrayList<>(batchSize);
      while (batch.size() < batchSize && rows.hasNext()) {
        RowStream.Delivered d = rows.next();
        batch.add(transform.apply(d.row()));
        positions.add(d.position());
      }
      if (batch.isEmpty() || (batch.size() < batchSize && lastBatch == LastBatch.DROP)) {
        try {
          rows.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return;
      }
      pending = batch;
      pendingPositions = positions;
    }
  }

  /** Settings of a {@link ShardDataset}: {@code setX} required, {@code optX} optional. */
  public static final class Builder {
    private String root;
    private String version;
    private Configuration conf;
    private int batchSize;
    private Long seed;
    private int epoch;
    private int shuffleBuffer = 1024;
    private Position start;
    private Padding padding = Padding.longest();
    private OptionalInt padTokenId = OptionalInt.empty();
    private Set<AttentionLayout> layouts = EnumSet.of(AttentionLayout.BLOCK_MASK);
    private LastBatch lastBatch = LastBatch.KEEP;
    private UnaryOperator<ShardRow> transform = UnaryOperator.identity();

    private Builder() {}

    /** The job's {@code --output} folder (any Hadoop file system URI), holding {@code _LATEST}. */
    public Builder setRoot(String root) {
      this.root = root;
      return this;
    }

    public Builder setRoot(java.nio.file.Path root) {
      return setRoot(root.toAbsolutePath().toUri().toString());
    }

    /** Rows per batch. */
    public Builder setBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Read this version instead of the one {@code _LATEST} names. */
    public Builder optVersion(String version) {
      this.version = version;
      return this;
    }

    /** Hadoop settings for the file system (credentials of {@code s3a:} and the like). */
    public Builder optConfiguration(Configuration conf) {
      this.conf = conf;
      return this;
    }

    /** Shuffle shards and rows from this seed (default: no shuffle, manifest and file order). */
    public Builder optShuffle(long seed) {
      this.seed = seed;
      return this;
    }

    /** Rows shuffled together within a shard (default 1024). */
    public Builder optShuffleBuffer(int rows) {
      this.shuffleBuffer = rows;
      return this;
    }

    /** The epoch: each epoch shuffles differently from the same seed (default 0). */
    public Builder optEpoch(int epoch) {
      this.epoch = epoch;
      return this;
    }

    /** Start at a position (from {@link ShardDataset#resumePoint}) instead of the beginning of the epoch. */
    public Builder optStartAt(Position position) {
      this.start = position;
      return this;
    }

    /** Batch length (default: the longest row of each batch). */
    public Builder optPadding(Padding padding) {
      this.padding = padding;
      return this;
    }

    /** Id written into padding (default: the manifest's {@code tokenizer.pad_token_id}, else 0). */
    public Builder optPadTokenId(int id) {
      this.padTokenId = OptionalInt.of(id);
      return this;
    }

    /** Attention structures to deliver (default: {@link AttentionLayout#BLOCK_MASK}). */
    public Builder optAttention(AttentionLayout first, AttentionLayout... more) {
      this.layouts = EnumSet.of(first, more);
      return this;
    }

    public Builder optLastBatch(LastBatch lastBatch) {
      this.lastBatch = lastBatch;
      return this;
    }

    /** Applied to each row before batching (the training example maps ids into a small vocabulary with it). */
    public Builder optTransform(UnaryOperator<ShardRow> transform) {
      this.transform = transform;
      return this;
    }

    public ShardDataset build() {
      if (root == null || root.isEmpty()) throw new IllegalArgumentException("setRoot: the sftprep output folder is required");
      if (batchSize <= 0) throw new IllegalArgumentException("setBatchSize: batch size must be positive, got " + batchSize);
      if (shuffleBuffer <= 0) throw new IllegalArgumentException("Shuffle buffer must be positive, got " + shuffleBuffer);
      if (epoch < 0) throw new IllegalArgumentException("Epoch must be >= 0, got " + epoch);
      if (padding == null || lastBatch == null || transform == null) {
        throw new IllegalArgumentException("Padding, last batch and transform must not be null");
      }
      return new ShardDataset(this);
    }
  }
}
