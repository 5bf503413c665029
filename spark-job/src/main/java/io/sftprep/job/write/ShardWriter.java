package io.sftprep.job.write;

import io.sftprep.core.pack.PackedRow;
import io.sftprep.core.stats.Histogram;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;

/**
 * Writes one shard file ({@code part-00000.parquet}, ZSTD) under a temporary name and renames it when complete,
 * so a retried or killed task never leaves a half-written shard under the final name. The same rows give the same
 * bytes on any executor (see {@link SortedFooterOutputFile}).
 */
public final class ShardWriter implements AutoCloseable {
  /** What the manifest records of a shard. */
  public record ShardInfo(int shard, String file, long rows, long tokens, long trainedTokens, long paddedTokens,
      long bytes, String sha256, Histogram fill) implements Serializable {}

  private final int shard;
  private final Path target;
  private final Path tmp;
  private final Configuration conf;
  private final ParquetWriter<PackedRow> writer;
  private final Builder builder;
  private final PlainInts.Factory plainInts; // null: parquet-mr's own values writers
  private final int seqLength;
  private final Histogram fill = Histogram.fractions(50);
  private long rows;
  private long tokens;
  private long trained;
  private long padded;

  public ShardWriter(Path dir, int shard, Configuration conf, long rowGroupBytes, int seqLength) throws IOException {
    this(dir, shard, conf, rowGroupBytes, seqLength, RowWriteSupport.Path.DIRECT, true);
  }

  /** With {@code plainInts} false, parquet-mr's own values writers instead of {@link PlainInts} (tests compare). */
  ShardWriter(Path dir, int shard, Configuration conf, long rowGroupBytes, int seqLength, RowWriteSupport.Path path,
      boolean plainInts) throws IOException {
    this.shard = shard;
    this.conf = conf;
    this.seqLength = seqLength;
    this.target = new Path(dir, fileName(shard));
    this.tmp = new Path(dir, "." + fileName(shard) + ".tmp-" + java.util.UUID.randomUUID());
    dir.getFileSystem(conf).setWriteChecksum(false); // no .crc side files next to the shards
    // the footer's encoding lists sorted: parquet-mr's order changes from one JVM to the next
    this.builder = new Builder(new SortedFooterOutputFile(HadoopOutputFile.fromPath(tmp, conf)), path);
    this.plainInts = plainInts ? PlainInts.install(builder) : null;
    this.writer = builder
        .withConf(conf)
        .withCompressionCodec(CompressionCodecName.ZSTD)
        .withRowGroupSize(rowGroupBytes)
        .withPageSize(1 << 20)
        .withDictionaryEncoding(false)
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build();
  }

  public static String fileName(int shard) {
    return String.format("part-%05d.parquet", shard);
  }

  public void write(PackedRow row) throws IOException {
    ShardWriteEvent event = new ShardWriteEvent();
    event.begin();
    writer.write(row);
    commit(event);
    rows++;
    tokens += row.numTokens();
    trained += row.numTrained();
    padded += row.length();
    fill.add(Math.min(1.0, (double) row.numTokens() / seqLength));
  }

  /** Finishes the file, moves it to its final name, and describes it. */
  public ShardInfo finish() throws IOException {
    ShardWriteEvent event = new ShardWriteEvent();
    event.begin();
    writer.close();
    commit(event);
    FileSystem fs = target.getFileSystem(conf);
    if (fs.exists(target)) fs.delete(target, false);
    if (!fs.rename(tmp, target)) throw new IOException("cannot rename " + tmp + " to " + target);
    long bytes = fs.getFileStatus(target).getLen();
    return new ShardInfo(shard, fileName(shard), rows, tokens, trained, padded, bytes, sha256(fs, target), fill);
  }

  private void commit(ShardWriteEvent event) {
    if (event.shouldCommit()) {
      event.shard = shard;
      event.commit();
    }
  }

  @Override
  public void close() throws IOException {
    FileSystem fs = tmp.getFileSystem(conf);
    if (fs.exists(tmp)) {
      try {
        writer.close();
      } catch (IOException | RuntimeException ignored) {
        // already closed or broken; the temp file goes either way
      }
      fs.delete(tmp, false);
    }
  }

  static String sha256(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How this shard's rows reach Parquet's column writers (see {@link RowWriteSupport}). */
  RowWriteSupport.Path writePath() {
    return builder.support.pathInUse();
  }

  /** Whether this shard's INT32 columns are written by {@link PlainInts}: asked for, installed, and made. */
  boolean plainInts() {
    return plainInts != null && plainInts.made() > 0;
  }

  private static final class Builder extends ParquetWriter.Builder<PackedRow, Builder> {
    private final RowWriteSupport.Path path;
    private RowWriteSupport support;

    Builder(OutputFile file, RowWriteSupport.Path path) {
      super(file);
      this.path = path;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<PackedRow> getWriteSupport(Configuration conf) {
      support = new RowWriteSupport(path);
      return support;
    }
  }
}
