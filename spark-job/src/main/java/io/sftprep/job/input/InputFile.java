package io.sftprep.job.input;

import java.io.Serializable;

/**
 * One input file: its full URI, the name recorded as provenance (relative to the inputs' common folder, so output
 * does not depend on where the corpus sits), size and modification time, and how it is read.
 */
public record InputFile(String uri, String name, long size, long modificationTime, Kind kind, Compression compression)
    implements Serializable {
  /** JSON Lines (one record per line), or a {@code .json} file holding one object or an array of them. */
  public enum Kind { JSONL, JSON }

  public enum Compression { NONE, GZIP, BZIP2, ZSTD }

  public boolean splittable() {
    return kind == Kind.JSONL && compression == Compression.NONE;
  }

  public static InputFile of(String uri, String name, long size, long mtime) {
    String base = name.toLowerCase(java.util.Locale.ROOT);
    Compression c = Compression.NONE;
    if (base.endsWith(".gz")) c = Compression.GZIP;
    else if (base.endsWith(".bz2")) c = Compression.BZIP2;
    else if (base.endsWith(".zst") || base.endsWith(".zstd")) c = Compression.ZSTD;
    if (c != Compression.NONE) base = base.substring(0, base.lastIndexOf('.'));
    Kind k = base.endsWith(".json") ? Kind.JSON : Kind.JSONL;
    return new InputFile(uri, name, size, mtime, k, c);
  }
}
