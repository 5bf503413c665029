package io.sftprep.core.pack;

import io.sftprep.core.config.PackOptions;
import io.sftprep.core.mask.Labels;
import java.util.ArrayList;
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
  private final PackOptions options;
  private final int padId;
  private final Consumer<PackedRow> sink;
  private final List<PackSample> window = new ArrayList<>();
  static final double CARRY_FILL = 0.99;

  public RowPacker(PackOptions options, int padId, Consumer<PackedRow> sink) {
    this.options = options;
    this.padId = padId;
    this.sink = sink;
  }

  public void add(PackSample s) {
    if (options.strategy() == PackOptions.Strategy.NONE) {
      sink.accept(row(List.of(s)));
      return;
    }
    if (s.length() > options.seqLength()) {
      throw new IllegalArgumentException("Cannot pack sample " + s.id() + ": " + s.length() + " tokens > seq-length "
          + options.seqLength());
    }
    window.add(s);
    if (window.size() >= options.window()) pack(false);
  }

  /** Packs what is buffered; call once after the last sample. */
  public void flush() {
    pack(true);
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
    List<PackSample> carry = new ArrayList<>();
    int carryLimit = last ? 0 : Math.max(1, options.window() / 10);
    for (int[] bin : bins) {
      List<PackSample> members = new ArrayList<>(bin.length);
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
    window.clear();
    window.addAll(carry);
  }

  /** Lays samples end to end, restarting positions, blanking each first label, padding as configured. */
  public PackedRow row(List<PackSample> samples) {
    int total = 0;
    for (PackSample s : samples) total += s.length();
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
      PackSample s = samples.get(k);
      int n = s.length();
      int[] from = s.inputIds();
      System.arraycopy(from, 0, ids, at, n);
      labels[at] = Labels.IGNORE; // nothing predicts a sample's first token from the sample before it
      for (int i = 1; i < n; i++) {
        if (s.trained(i)) {
          labels[at + i] = from[i];
          trained++;
        } else {
          labels[at + i] = Labels.IGNORE;
        }
      }
      for (int i = 0; i < n; i++) pos[at + i] = i;
      lens[k] = n;
      sampleIds[k] = s.id();
      files[k] = s.sourceFile();
      lines[k] = s.sourceLine();
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
