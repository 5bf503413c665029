package io.sftprep.job.write;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.factory.DefaultV1ValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * PLAIN-encoded INT32 values kept in an {@code int[]} and laid out as little-endian bytes in one bulk copy when the
 * page is written. parquet-mr's {@link PlainValuesWriter} writes each value as four single-byte writes through two
 * streams; for a shard's three 4,096-token lists per row that was most of the time the shard writer spent outside
 * compression. The bytes, their count and so the page boundaries are the same as parquet-mr's: only columns for
 * which parquet-mr's own factory picks {@link PlainValuesWriter} get this writer.
 */
final class PlainInts extends ValuesWriter {
  private int[] values = new int[1 << 12];
  private int count;
  private byte[] bytes = new byte[0];

  @Override
  public void writeInteger(int v) {
    if (count == values.length) values = Arrays.copyOf(values, count * 2);
    values[count++] = v;
  }

  @Override
  public long getBufferedSize() {
    return 4L * count;
  }

  /**
   * The page's values, valid until the next call: parquet-mr's page writer compresses (so copies) a page's bytes
   * before it resets this writer for the next page. {@code PlainIntsTest} compares whole shards of many pages and row
   * groups with parquet-mr's own writer's.
   */
  @Override
  public BytesInput getBytes() {
    int n = 4 * count;
    if (bytes.length < n) bytes = new byte[Math.max(n, 2 * bytes.length)];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(values, 0, count);
    return BytesInput.from(bytes, 0, n);
  }

  @Override
  public Encoding getEncoding() {
    return Encoding.PLAIN;
  }

  /** Starts the next page; the arrays are kept for it. */
  @Override
  public void reset() {
    count = 0;
  }

  @Override
  public long getAllocatedSize() {
    return 4L * values.length + bytes.length;
  }

  @Override
  public String memUsageString(String prefix) {
    return prefix + " PlainInts " + getAllocatedSize() + " bytes";
  }

  /** parquet-mr's default values writers, with {@link PlainInts} where they would be a plain INT32 writer. */
  static final class Factory implements ValuesWriterFactory {
    private final DefaultV1ValuesWriterFactory parquets = new DefaultV1ValuesWriterFactory();
    private int made;

    /** How many {@link PlainInts} this factory has made. */
    int made() {
      return made;
    }

    @Override
    public void initialize(ParquetProperties properties) {
      parquets.initialize(properties);
    }

    @Override
    public ValuesWriter newValuesWriter(ColumnDescriptor column) {
      ValuesWriter w = parquets.newValuesWriter(column);
      if (column.getPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.INT32
          || w.getClass() != PlainValuesWriter.class) {
        return w;
      }
      w.close();
      made++;
      return new PlainInts();
    }
  }

  /**
   * Has {@code builder}'s writer use a new {@link Factory}, and returns it; null when the builder's encoding
   * properties cannot be reached (another parquet-mr), and the writer then uses parquet-mr's own, which write the
   * same bytes.
   */
  static Factory install(ParquetWriter.Builder<?, ?> builder) {
    try {
      Field f = ParquetWriter.Builder.class.getDeclaredField("encodingPropsBuilder");
      f.setAccessible(true);
      Factory factory = new Factory();
      ((ParquetProperties.Builder) f.get(builder)).withValuesWriterFactory(factory);
      return factory;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
