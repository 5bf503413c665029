package io.sftprep.core.pack;

import io.sftprep.core.config.PackOptions;
import io.sftprep.core.mask.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Packs a stream of samples into rows. Samples arrive in a deterministic order (by id); every {@code window} of
 * them is packed with {@link BfdPacker} ({@code pack.strategy=bfd}) or each becomes its own row
 * ({@code none}). The samples of rows left less than {@value #CARRY_FILL} full when a window closes are carried
 * into the next window (at most a tenth of a window), so only the last window leaves partial rows. Memory is
 * bounded by the window. Same samples in, same rows out.
 */
public final class RowPacker {
  static final double CARRY_FILL = 0.99;
  private final PackOptions options;
  private final int padId;
  private final Consumer<PackedRow> sink;
  // The window. Its samples' tokens and trained bits are copied into arrays of 64K tokens that serve window after
  // window: kept as two small arrays per sample, a window's tens of thousands of samples outlived the young
  // generation's collections and filled the old one with arrays that died a window later, and one array grown to
  // hold the window would be a series of ever larger humongous arrays for G1; either way the heap grew in the
  // shard stage. A sample never spans two arrays (one longer than 64K tokens gets an array of its own size).
  static final int CHUNK_TOKENS = 1 << 16;
  private final int chunkTokens;
  private final List<Slot> window = new ArrayList<>();
  private final List<int[]> tokenChunks = new ArrayList<>();
  private final List<byte[]> bitChunks = new ArrayList<>();
  private int chunk;
  private int tokenAt;
  private int bitAt;

  /** A sample in the window: its id and provenance, and where its tokens and trained bits are. */
  private record Slot(long id, int chunk, int start, int length, int bitStart, String file, long line) {}

  public RowPacker(PackOptions options, int padId, Consumer<PackedRow> sink) {
    this(options, padId, sink, CHUNK_TOKENS);
  }

  /** With arrays of {@code chunkTokens} tokens (tests use small ones, so samples cross them and outgrow them). */
  RowPacker(PackOptions options, int padId, Consumer<PackedRow> sink, int chunkTokens) {
    this.options = options;
    this.padId = padId;
    this.sink = sink;
    this.chunkTokens = chunkTokens;
  }

  public void add(PackSample s) {
    if (options.strategy() == PackOptions.Strategy.NONE) {
      Slot slot = hold(s);
      sink.accept(row(List.of(slot)));
      clear();
      return;
    }
    if (s.length() > options.seqLength()) {
      throw new IllegalArgumentException("Cannot pack sample " + s.id() + ": " + s.length() + " tokens > seq-length "
          + options.seqLength());
    }
    window.add(hold(s));
    if (window.size() >= options.window()) pack(false);
  }

  /** Packs what is buffered; call once after the last sample. */
  public void flush() {
    pack(true);
  }

  /** Copies a sample's tokens and bits into the window's arrays. */
  private Slot hold(PackSample s) {
    int n = s.length();
    int nb = s.trainedBits().length;
    if (chunk < tokenChunks.size()
        && (tokenAt + n > tokenChunks.get(chunk).length || bitAt + nb > bitChunks.get(chunk).length)) {
      chunk++;
      tokenAt = 0;
      bitAt = 0;
    }
    if (chunk == tokenChunks.size()) {
      tokenChunks.add(new int[Math.max(chunkTokens, n)]);
      bitChunks.add(new byte[Math.max(chunkTokens / 4, nb)]);
    } else if (n > tokenChunks.get(chunk).length || nb > bitChunks.get(chunk).length) {
      // an empty array kept from an earlier window, too small for this sample
      tokenChunks.set(chunk, new int[Math.max(chunkTokens, n)]);
      bitChunks.set(chunk, new byte[Math.max(chunkTokens / 4, nb)]);
    }
    System.arraycopy(s.inputIds(), 0, tokenChunks.get(chunk), tokenAt, n);
    System.arraycopy(s.trainedBits(), 0, bitChunks.get(chunk), bitAt, nb);
    Slot slot = new Slot(s.id(), chunk, tokenAt, n, bitAt, s.sourceFile(), s.sourceLine());
    tokenAt += n;
    bitAt += nb;
    return slot;
  }

  private void clear() {
    window.clear();
    chunk = 0;
    tokenAt = 0;
    bitAt = 0;
  }

  private void pack(boolean last) {
    if (window.isEmpty()) return;
    int n = window.size();
    long[] ids = new long[n];
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = window.get(i).id();
      lengths[i] = window.get(i).length();
    }
    List<int[]> bins = BfdPacker.pack(ids, lengths, options.seqLength());
    List<Slot> carry = new ArrayList<>();
    int carryLimit = last ? 0 : Math.max(1, options.window() / 10);
    for (int[] bin : bins) {
      List<Slot> members = new ArrayList<>(bin.length);
      int total = 0;
      for (int i : bin) {
        members.add(window.get(i));
        total += lengths[i];
      }
      if (total < CARRY_FILL * options.seqLength() && carry.size() + members.size() <= carryLimit) {
        carry.addAll(members);
      } else {
        sink.accept(row(members));
      }
    }
    // the carried samples go to the front of the arrays, in the order they were carried
    List<PackSample> carried = new ArrayList<>(carry.size());
    for (Slot c : carry) {
      int[] tokens = Arrays.copyOfRange(tokenChunks.get(c.chunk()), c.start(), c.start() + c.length());
      byte[] trainedBits = Arrays.copyOfRange(bitChunks.get(c.chunk()), c.bitStart(),
          c.bitStart() + Labels.trainedBytes(c.length()));
      carried.add(new PackSample(c.id(), tokens, trainedBits, c.file(), c.line()));
    }
    clear();
    for (PackSample c : carried) window.add(hold(c));
  }

  /** Lays samples end to end, restarting positions, blanking each first label, padding as configured. */
  private PackedRow row(List<Slot> samples) {
    int total = 0;
    for (Slot s : samples) total += s.length();
    int padded = options.paddedLength(total);
    int[] ids = new int[padded];
    int[] labels = new int[padded];
    int[] pos = new int[padded];
    int[] lens = new int[samples.size()];
    long[] sampleIds = new long[samples.size()];
    String[] files = new String[samples.size()];
    long[] lines = new long[samples.size()];
    int at = 0;
    int trained = 0;
    for (int k = 0; k < samples.size(); k++) {
      Slot s = samples.get(k);
      int n = s.length();
      System.arraycopy(tokenChunks.get(s.chunk()), s.start(), ids, at, n);
      byte[] bits = bitChunks.get(s.chunk());
      labels[at] = Labels.IGNORE; // nothing predicts a sample's first token from the sample before it
      for (int i = 1; i < n; i++) {
        if (Labels.isTrained(bits, s.bitStart(), i)) {
          labels[at + i] = ids[at + i];
          trained++;
        } else {
          labels[at + i] = Labels.IGNORE;
        }
      }
      for (int i = 0; i < n; i++) pos[at + i] = i;
      lens[k] = n;
      sampleIds[k] = s.id();
      files[k] = s.file();
      lines[k] = s.line();
      at += n;
    }
    int lastPos = samples.isEmpty() ? 0 : lens[lens.length - 1];
    for (int i = at; i < padded; i++) {
      ids[i] = padId;
      labels[i] = Labels.IGNORE;
      pos[i] = lastPos + (i - at);
    }
    return new PackedRow(ids, labels, pos, lens, sampleIds, files, lines, total, trained);
  }
}
