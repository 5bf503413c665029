package io.sftprep.trainer.read;

import java.util.Arrays;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;

/**
 * Builds {@link ShardRow}s straight from Parquet's column callbacks into primitive arrays, no boxing. Field indexes
 * follow {@link ShardSchema#projection}.
 */
final class RowMaterializer extends RecordMaterializer<ShardRow> {
  private final int shard;
  private final IntList[] ints = {new IntList(), new IntList(), new IntList(), new IntList()};
  private final LongList sampleIds = new LongList();
  private final IntScalar numTokens = new IntScalar();
  private final IntScalar numTrained = new IntScalar();
  private long nextRow;
  private ShardRow current;

  private final GroupConverter root = new GroupConverter() {
    @Override
    public Converter getConverter(int i) {
      return switch (i) {
        case 0, 1, 2, 3 -> ints[i];
        case 4 -> sampleIds;
        case 5 -> numTokens;
        case 6 -> numTrained;
        default -> throw new IllegalArgumentException("No field " + i + " in the shard projection");
      };
    }

    @Override
    public void start() {}

    @Override
    public void end() {
      current = new ShardRow(shard, nextRow++, ints[0].take(), ints[1].take(), ints[2].take(), ints[3].take(),
          sampleIds.take(), numTokens.value, numTrained.value);
    }
  };

  RowMaterializer(int shard, long firstRow) {
    this.shard = shard;
    this.nextRow = firstRow;
  }

  /** The file row index the next materialized record gets. */
  void setNextRow(long row) {
    this.nextRow = row;
  }

  @Override
  public ShardRow getCurrentRecord() {
    return current;
  }

  @Override
  public GroupConverter getRootConverter() {
    return root;
  }

  private static final class IntList extends GroupConverter {
    private int[] buf = new int[256];
    private int n;
    private final PrimitiveConverter element = new PrimitiveConverter() {
      @Override
      public void addInt(int v) {
        if (n == buf.length) buf = Arrays.copyOf(buf, n * 2);
        buf[n++] = v;
      }
    };
    private final GroupConverter repeated = new GroupConverter() {
      @Override
      public Converter getConverter(int i) {
        return element;
      }

      @Override
      public void start() {}

      @Override
      public void end() {}
    };

    @Override
    public Converter getConverter(int i) {
      return repeated;
    }

    @Override
    public void start() {
      n = 0;
    }

    @Override
    public void end() {}

    int[] take() {
      return Arrays.copyOf(buf, n);
    }
  }

  private static final class LongList extends GroupConverter {
    private long[] buf = new long[16];
    private int n;
    private final PrimitiveConverter element = new PrimitiveConverter() {
      @Override
      public void addLong(long v) {
        if (n == buf.length) buf = Arrays.copyOf(buf, n * 2);
        buf[n++] = v;
      }
    };
    private final GroupConverter repeated = new GroupConverter() {
      @Override
      public Converter getConverter(int i) {
        return element;
      }

      @Override
      public void start() {}

      @Override
      public void end() {}
    };

    @Override
    public Converter getConverter(int i) {
      return repeated;
    }

    @Override
    public void start() {
      n = 0;
    }

    @Override
    public void end() {}

    long[] take() {
      return Arrays.copyOf(buf, n);
    }
  }

  private static final class IntScalar extends PrimitiveConverter {
    int value;

    @Override
    public void addInt(int v) {
      value = v;
    }
  }
}
