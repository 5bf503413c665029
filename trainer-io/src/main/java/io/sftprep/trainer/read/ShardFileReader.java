package io.sftprep.trainer.read;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * Streams the rows of one shard file in file order with parquet-hadoop, one row group in memory at a time, reading
 * only the columns a trainer needs. {@link #seek} skips whole row groups without decoding them, so resuming deep
 * inside a large shard costs at most one row group of decoding.
 */
public final class ShardFileReader implements Closeable, java.util.Iterator<ShardRow> {
  private final Path path;
  private final ParquetFileReader reader;
  private final MessageColumnIO columnIO;
  private final List<BlockMetaData> groups;
  private final long rows;
  private final RowMaterializer materializer;
  private int nextGroup;
  private RecordReader<ShardRow> records;
  private long leftInGroup;
  private long nextRow;
  private boolean closed;

  private ShardFileReader(Path path, int shard, Configuration conf) throws IOException {
    this.path = path;
    this.reader = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf), HadoopReadOptions.builder(conf).build());
    try {
      FileMetaData meta = reader.getFooter().getFileMetaData();
      MessageType projection = ShardSchema.projection(meta.getSchema(), meta.getKeyValueMetaData(), path.toString());
      reader.setRequestedSchema(projection);
      this.columnIO = new ColumnIOFactory(meta.getCreatedBy()).getColumnIO(projection, meta.getSchema(), true);
      this.groups = reader.getRowGroups();
      this.rows = reader.getRecordCount();
      this.materializer = new RowMaterializer(shard, 0);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /** Opens a shard; {@code shard} is its index in the manifest, recorded in every row it yields. */
  public static ShardFileReader open(Path path, int shard, Configuration conf) throws IOException {
    return new ShardFileReader(path, shard, conf);
  }

  public long rowCount() {
    return rows;
  }

  /** The file index of the row {@link #next} returns. */
  public long position() {
    return nextRow;
  }

  /** Moves forward to file row {@code row} ({@code row == rowCount()} leaves nothing to read). */
  public void seek(long row) throws IOException {
    if (row < nextRow || row > rows) {
      throw new IllegalArgumentException(String.format(
          "Cannot seek %s to row %d: the reader is at row %d of %d and only moves forward", path, row, nextRow, rows));
    }
    while (leftInGroup > 0 && nextRow < row) {
      readOne();
    }
    while (nextRow < row && nextGroup < groups.size()) {
      long groupRows = groups.get(nextGroup).getRowCount();
      if (nextRow + groupRows <= row) {
        reader.skipNextRowGroup();
        nextGroup++;
        nextRow += groupRows;
      } else {
        loadGroup();
        while (nextRow < row) readOne();
      }
    }
  }

  @Override
  public boolean hasNext() {
    return nextRow < rows;
  }

  @Override
  public ShardRow next() {
    if (!hasNext()) throw new NoSuchElementException(path + " has no row " + nextRow + " (it has " + rows + ")");
    try {
      if (leftInGroup == 0) loadGroup();
      return readOne();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Cannot read row " + nextRow + " of " + path, e);
    }
  }

  private void loadGroup() throws IOException {
    PageReadStore pages = reader.readNextRowGroup();
    if (pages == null) throw new IOException(path + " ends before row " + nextRow + " of " + rows);
    nextGroup++;
    records = columnIO.getRecordReader(pages, materializer, FilterCompat.NOOP);
    leftInGroup = pages.getRowCount();
    materializer.setNextRow(nextRow);
  }

  private ShardRow readOne() {
    ShardRow row;
    try {
      row = records.read();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
    leftInGroup--;
    nextRow++;
    return row;
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    reader.close();
  }
}
