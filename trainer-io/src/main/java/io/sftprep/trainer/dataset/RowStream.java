package io.sftprep.trainer.dataset;

import io.sftprep.trainer.read.Published;
import io.sftprep.trainer.read.ShardFileReader;
import io.sftprep.trainer.read.ShardRow;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;

/**
 * One epoch's rows in {@link RowOrder}, from a start {@link Position}, each with the position it is delivered at.
 * Holds one shard file open and one window of rows in memory.
 */
final class RowStream implements Iterator<RowStream.Delivered>, Closeable {
  /** A row and its place in the stream. */
  record Delivered(Position position, ShardRow row) {}

  private final Published published;
  private final Configuration conf;
  private final RowOrder order;
  private final int[] shards;
  private int nextShardIndex;
  private int shard = -1;
  private long delivered;
  private ShardFileReader reader;
  private List<ShardRow> window = List.of();
  private int[] windowOrder = new int[0];
  private int windowPos;
  private Delivered next;

  RowStream(Published published, Configuration conf, RowOrder order, Position start) throws IOException {
    this.published = published;
    this.conf = conf;
    this.order = order;
    this.shards = order.shardOrder(published.shards().size());
    if (start != null) {
      int at = indexOf(shards, start.shard());
      if (at < 0) {
        throw new IllegalArgumentException("Cannot start at " + start + ": " + published.version() + " has "
            + published.shards().size() + " shards");
      }
      long rows = published.shards().get(start.shard()).rows();
      if (start.row() > rows) {
        throw new IllegalArgumentException("Cannot start at " + start + ": shard " + start.shard() + " ("
            + published.shards().get(start.shard()).file() + ") has " + rows + " rows");
      }
      nextShardIndex = at + 1;
      openShard(start.shard(), start.row());
    }
  }

  @Override
  public boolean hasNext() {
    if (next == null) next = advance();
    return next != null;
  }

  @Override
  public Delivered next() {
    if (!hasNext()) throw new NoSuchElementException("End of " + published.version());
    Delivered d = next;
    next = null;
    return d;
  }

  private Delivered advance() {
    try {
      while (true) {
        if (windowPos < window.size()) {
          ShardRow row = window.get(windowOrder[windowPos++]);
          return new Delivered(new Position(shard, delivered++), row);
        }
        if (reader != null && reader.hasNext()) {
          readWindow();
          continue;
        }
        closeReader();
        if (nextShardIndex >= shards.length) return null;
        openShard(shards[nextShardIndex++], 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void openShard(int s, long startRow) throws IOException {
    closeReader();
    shard = s;
    reader = ShardFileReader.open(published.shardPath(s), s, conf);
    long expected = published.shards().get(s).rows();
    if (reader.rowCount() != expected) {
      throw new IOException(String.format("Shard %s has %d rows, the manifest of %s says %d",
          published.shardPath(s), reader.rowCount(), published.version(), expected));
    }
    long windowStart = order.windowStart(startRow);
    reader.seek(windowStart);
    delivered = windowStart;
    window = List.of();
    windowPos = 0;
    if (startRow > windowStart) {
      readWindow();
      windowPos = (int) (startRow - windowStart);
      delivered = startRow;
    }
  }

  private void readWindow() {
    long start = reader.position();
    int size = (int) Math.min(order.window(), reader.rowCount() - start);
    List<ShardRow> rows = new ArrayList<>(size);
    for (int i = 0; i < size; i++) rows.add(reader.next());
    window = rows;
    windowOrder = order.windowOrder(shard, start / order.window(), size);
    windowPos = 0;
  }

  private void closeReader() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }

  @Override
  public void close() throws IOException {
    closeReader();
    window = List.of();
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
    return -1;
  }
}
