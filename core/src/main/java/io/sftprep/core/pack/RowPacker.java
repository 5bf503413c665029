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
  // The window. Its samples' tokens and trained bits are copied into two arrays that serve window after window:
  // kept as two small arrays per sample, a window's tens of thousands of samples outlived the young generation's
  // collections and filled the old one with arrays that died a window later, so the heap grew in the shard stage.
  private final List<Slot> window = new ArrayList<>();
  private int[] tokens = new int[1 << 12];
  private byte[] bits = new byte[1 << 9];
  private int tokenEnd;
  private int bitEnd;

  /** A sample in the window: its id and provenance, and where its tokens and trained bits are. */
  private record Slot(long id, int start, int length, int bitStart, String file, long line) {
    boolean trained(byte[] bits, int i) {
      return (bits[bitStart + (i >>> 3)] & (1 << (i & 7))) != 0;
    }
  }

  public RowPacker(PackOptions options, int padId, Consumer<PackedRow> sink) {
    this.options = options;
    this.padId = padId;
    this.sink = sink;
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

  /** Copies a sample's tokens and bits to the ends of the window's arrays. */
  private Slot hold(PackSample s) {
    int n = s.length();
    int nb = s.trainedBits().length;
    if (tokenEnd + n > tokens.length) tokens = Arrays.copyOf(tokens, Math.max(tokenEnd + n, tokens.length * 3 / 2));
    if (bitEnd + nb > bits.length) bits = Arrays.copyOf(bits, Math.max(bitEnd + nb, bits.length * 3 / 2));
    System.arraycopy(s.inputIds(), 0, tokens, tokenEnd, n);
    System.arraycopy(s.trainedBits(), 0, bits, bitEnd, nb);
    Slot slot = new Slot(s.id(), tokenEnd, n, bitEnd, s.sourceFile(), s.sourceLine());
    tokenEnd += n;
    bitEnd += nb;
    return slot;
  }

  private void clear() {
    window.clear();
    tokenEnd = 0;
    bitEnd = 0;
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
    // the carried samples move to the front of the arrays, in the order they were carried
    int carriedTokens = 0;
    int carriedBits = 0;
    for (Slot c : carry) {
      carriedTokens += c.length();
      carriedBits += (c.length() + 7) >>> 3;
    }
    int[] keptTokens = new int[carriedTokens];
    byte[] keptBits = new byte[carriedBits];
    List<Slot> kept = new ArrayList<>(carry.size());
    int at = 0;
    int bitAt = 0;
    for (Slot c : carry) {
      int nb = (c.length() + 7) >>> 3;
      System.arraycopy(tokens, c.start(), keptTokens, at, c.length());
      System.arraycopy(bits, c.bitStart(), keptBits, bitAt, nb);
      kept.add(new Slot(c.id(), at, c.length(), bitAt, c.file(), c.line()));
      at += c.length();
      bitAt += nb;
    }
    clear();
    System.arraycopy(keptTokens, 0, tokens, 0, at);
    System.arraycopy(keptBits, 0, bits, 0, bitAt);
    tokenEnd = at;
    bitEnd = bitAt;
    window.addAll(kept);
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
      System.arraycopy(tokens, s.start(), ids, at, n);
      labels[at] = Labels.IGNORE; // nothing predicts a sample's first token from the sample before it
      for (int i = 1; i < n; i++) {
        if (s.trained(bits, i)) {
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
