package io.sftprep.job.input;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Resolves {@code --input} (comma-separated files, folders or globs on any Hadoop file system) into a sorted list
 * of files, and cuts uncompressed JSONL files into byte splits of {@code input.split-bytes} (the units the input
 * checksums are computed over, so they do not depend on the cluster) and those into pieces sized for the cores at
 * hand (the units that are processed, so a corpus smaller than a split still uses every core).
 */
public final class InputPlanner {
  private InputPlanner() {}

  public static List<InputFile> listFiles(String spec, Configuration conf) throws IOException {
    TreeMap<String, FileStatus> found = new TreeMap<>();
    for (String part : spec.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) continue;
      Path path = new Path(p);
      FileSystem fs = path.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null || matches.length == 0) {
        throw new IOException("input " + p + " matches no file");
      }
      for (FileStatus st : matches) collect(fs, st, found);
    }
    if (found.isEmpty()) throw new IOException("input " + spec + " holds no file");
    String common = commonFolder(new ArrayList<>(found.keySet()));
    List<InputFile> out = new ArrayList<>();
    for (FileStatus st : found.values()) {
      String uri = st.getPath().toString();
      String name = uri.startsWith(common) ? uri.substring(common.length()) : st.getPath().getName();
      out.add(InputFile.of(uri, name, st.getLen(), st.getModificationTime()));
    }
    return out;
  }

  private static void collect(FileSystem fs, FileStatus st, TreeMap<String, FileStatus> out) throws IOException {
    String name = st.getPath().getName();
    if (st.isDirectory()) {
      for (FileStatus c : fs.listStatus(st.getPath())) {
        String n = c.getPath().getName();
        if (n.startsWith("_") || n.startsWith(".")) continue;
        collect(fs, c, out);
      }
    } else if (!name.startsWith(".") && !name.startsWith("_")) {
      out.put(st.getPath().toString(), st);
    }
  }

  /** The longest folder prefix (ending in '/') shared by all URIs. */
  static String commonFolder(List<String> uris) {
    if (uris.size() == 1) {
      String u = uris.get(0);
      return u.substring(0, u.lastIndexOf('/') + 1);
    }
    String prefix = uris.get(0);
    for (String u : uris) {
      int i = 0;
      while (i < prefix.length() && i < u.length() && prefix.charAt(i) == u.charAt(i)) i++;
      prefix = prefix.substring(0, i);
    }
    return prefix.substring(0, prefix.lastIndexOf('/') + 1);
  }

  public static List<InputSplit> split(List<InputFile> files, long splitBytes) {
    List<InputSplit> out = new ArrayList<>();
    for (int f = 0; f < files.size(); f++) {
      InputFile file = files.get(f);
      if (!file.splittable() || file.size() <= splitBytes) {
        out.add(new InputSplit(f, file, 0, 0, Math.max(file.size(), 0), 1));
        continue;
      }
      int idx = 0;
      for (long s = 0; s < file.size(); s += splitBytes) {
        out.add(new InputSplit(f, file, idx++, s, Math.min(file.size(), s + splitBytes), 0));
      }
    }
    return out;
  }

  /**
   * The byte size of the pieces splits are processed in: about a quarter of each core's share of the input
   * ({@link #PIECES_PER_CORE} pieces per core, so a piece of long records does not leave the other cores idle at
   * the end), at least {@link #MIN_PIECE_BYTES} and at most a split.
   */
  public static long pieceBytes(List<InputFile> files, int cores, long splitBytes) {
    long total = 0;
    for (InputFile f : files) if (f.splittable()) total += f.size();
    long share = total / ((long) Math.max(1, cores) * PIECES_PER_CORE) + 1;
    return Math.max(1, Math.min(splitBytes, Math.max(MIN_PIECE_BYTES, share)));
  }

  static final int PIECES_PER_CORE = 4;
  static final long MIN_PIECE_BYTES = 256 << 10;

  /**
   * The byte size of the cells the scan counts newlines in: an eighth of a piece ({@link #CELLS_PER_PIECE}) when
   * that is at least {@link #MIN_CELL_BYTES}, else a whole piece. Pieces are made of cells ({@link #group}); the
   * input's last pieces are single cells.
   */
  public static long cellBytes(long pieceBytes) {
    long cell = pieceBytes / CELLS_PER_PIECE;
    return cell >= MIN_CELL_BYTES ? cell : pieceBytes;
  }

  static final int CELLS_PER_PIECE = 8;
  static final long MIN_CELL_BYTES = 1 << 20;

  /** How many single cells end the input: a piece's worth for each core, when pieces are made of cells. */
  public static int tailCells(long pieceBytes, int cores) {
    return cellBytes(pieceBytes) < pieceBytes ? Math.max(1, cores) * CELLS_PER_PIECE : 0;
  }

  /**
   * Pieces made of {@code cells} (the {@link #pieces} of each split for {@link #cellBytes}, in input order): each
   * split's cells shared evenly among as many pieces as {@code pieceBytes} gives it, except that a piece holding
   * one of the input's last {@code tailCells} cells is left as single cells. Spark starts pieces in order, so
   * while one core works through its last large piece the others take the small ones, and the stage does not end
   * with one core finishing a whole piece alone. Which lines a piece holds does not change what is written: only
   * how the work is cut.
   *
   * <pre>{@code split a: cells a0..a4, two pieces; split b: cells b0..b3, two pieces; tailCells 2
   *   -> [a0 a1] [a2 a3 a4] [b0 b1] [b2] [b3]}</pre>
   */
  public static List<InputSplit> group(List<InputSplit> cells, long pieceBytes, int tailCells) {
    List<InputSplit> out = new ArrayList<>();
    int tailFrom = cells.size() - tailCells;
    for (int from = 0; from < cells.size(); ) {
      InputSplit first = cells.get(from);
      int to = from + 1;
      while (to < cells.size() && cells.get(to).fileIndex() == first.fileIndex()
          && cells.get(to).index() == first.index()) {
        to++;
      }
      int c = to - from;
      int p = Math.min(c, pieceCount(cells.get(to - 1).end() - first.start(), pieceBytes));
      for (int j = 0; j < p; j++) {
        int a = from + (int) ((long) j * c / p);
        int b = from + (int) ((long) (j + 1) * c / p);
        if (b - a == 1 || b > tailFrom) {
          out.addAll(cells.subList(a, b));
        } else {
          InputSplit last = cells.get(b - 1);
          out.add(new InputSplit(first.fileIndex(), first.file(), first.index(), cells.get(a).start(), last.end(),
              cells.get(a).firstLine()));
        }
      }
      from = to;
    }
    return out;
  }

  /** How many pieces a split of a splittable file is processed in: as many as pieces of {@code pieceBytes} need. */
  public static int pieceCount(InputSplit split, long pieceBytes) {
    return pieceCount(split.end() - split.start(), pieceBytes);
  }

  private static int pieceCount(long len, long pieceBytes) {
    return (int) Math.max(1, (len + pieceBytes - 1) / pieceBytes);
  }

  /** The size of each piece of {@code split} (the last may be smaller): the split cut evenly. */
  public static long pieceSize(InputSplit split, long pieceBytes) {
    long len = split.end() - split.start();
    int n = pieceCount(split, pieceBytes);
    return Math.max(1, (len + n - 1) / n);
  }

  /**
   * The pieces of {@code split}, cut evenly into at most {@code pieceBytes} each ({@code [start + k * size, ...)};
   * the split itself when its file cannot be cut), numbered from the split's first line with the newline counts of
   * {@code digest}. A piece owns the lines that begin inside it, as a split does.
   *
   * <pre>{@code split [0, 100) line 1, pieceBytes 40 (3 pieces of 34), newlines per piece [3, 3, 4]
   *   -> [0, 34) line 1, [34, 68) line 4, [68, 100) line 7}</pre>
   */
  public static List<InputSplit> pieces(InputSplit split, SplitReader.Digest digest, long pieceBytes) {
    if (!split.file().splittable()) return List.of(split);
    int n = pieceCount(split, pieceBytes);
    long size = pieceSize(split, pieceBytes);
    List<InputSplit> out = new ArrayList<>(n);
    long line = split.firstLine();
    for (int k = 0; k < n; k++) {
      long start = split.start() + k * size;
      long end = Math.min(split.end(), start + size);
      out.add(new InputSplit(split.fileIndex(), split.file(), split.index(), start, end, line));
      line += digest.pieceNewlines()[k];
    }
    return out;
  }
}
