package io.sftprep.trainer.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sftprep.trainer.read.ShardRow;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Rows of one batch laid out as {@code (B, T)} arrays, row-major, in plain Java: the layout the DJL batch
 * ({@link #data}, {@link #labels}) is made from. Each row is cut to its {@code num_tokens} (dropping any padding
 * the job added), then padded to {@code T} with {@code padTokenId}, label {@code -100} and position 0. Rows of
 * {@code seq_lens [3, 2]} and {@code [4]}, {@code T = 5}:
 *
 * <pre>
 * segments     [0, 0, 0, 1, 1]     [0, 0, 0, 0, 1]      sample index per position; padding is one more segment
 * attention    same segment ⇔ may attend (before the causal mask)
 * cu_seqlens   [0, 3, 5, 9, 10]                          over the flattened 10 positions; max_seqlen 4
 * </pre>
 */
public final class PackedBatch {
  public static final String INPUT_IDS = "input_ids";
  public static final String POSITION_IDS = "position_ids";
  public static final String ATTENTION_MASK = "attention_mask";
  public static final String CU_SEQLENS = "cu_seqlens";
  public static final String MAX_SEQLEN = "max_seqlen";
  public static final String LABELS = "labels";
  public static final int IGNORE_INDEX = -100;

  private final int rows;
  private final int length;
  private final int[] inputIds;
  private final int[] labels;
  private final int[] positionIds;
  private final int[] segments;
  private final int[] cuSeqlens;
  private final int trainedTokens;
  private final int realTokens;

  private PackedBatch(int rows, int length, int[] inputIds, int[] labels, int[] positionIds, int[] segments,
      int[] cuSeqlens, int trainedTokens, int realTokens) {
    this.rows = rows;
    this.length = length;
    this.inputIds = inputIds;
    this.labels = labels;
    this.positionIds = positionIds;
    this.segments = segments;
    this.cuSeqlens = cuSeqlens;
    this.trainedTokens = trainedTokens;
    this.realTokens = realTokens;
  }

  public static PackedBatch of(List<ShardRow> rows, Padding padding, int padTokenId) {
    if (rows.isEmpty()) throw new IllegalArgumentException("Cannot batch zero rows");
    int longest = 0;
    for (ShardRow r : rows) longest = Math.max(longest, r.numTokens());
    int t = padding.lengthFor(longest);
    int b = rows.size();
    int[] ids = new int[b * t];
    int[] lab = new int[b * t];
    int[] pos = new int[b * t];
    int[] seg = new int[b * t];
    Arrays.fill(ids, padTokenId);
    Arrays.fill(lab, IGNORE_INDEX);
    int[] cu = new int[1 + rows.stream().mapToInt(r -> r.seqLens().length + (r.numTokens() < t ? 1 : 0)).sum()];
    int c = 1;
    int trained = 0;
    int real = 0;
    for (int i = 0; i < b; i++) {
      ShardRow r = rows.get(i);
      int n = r.numTokens();
      int base = i * t;
      System.arraycopy(r.inputIds(), 0, ids, base, n);
      System.arraycopy(r.labels(), 0, lab, base, n);
      System.arraycopy(r.positionIds(), 0, pos, base, n);
      int at = 0;
      for (int s = 0; s < r.seqLens().length; s++) {
        Arrays.fill(seg, base + at, base + at + r.seqLens()[s], s);
        at += r.seqLens()[s];
        cu[c] = cu[c - 1] + r.seqLens()[s];
        c++;
      }
      if (n < t) {
        Arrays.fill(seg, base + n, base + t, r.seqLens().length);
        cu[c] = cu[c - 1] + (t - n);
        c++;
      }
      for (int k = 0; k < n; k++) if (r.labels()[k] != IGNORE_INDEX) trained++;
      real += n;
    }
    return new PackedBatch(b, t, ids, lab, pos, seg, cu, trained, real);
  }

  public int rows() {
    return rows;
  }

  public int length() {
    return length;
  }

  /** Labels that are not {@code -100}: the tokens that carry loss. */
  public int trainedTokens() {
    return trainedTokens;
  }

  /** Positions holding a token of a sample (not padding). */
  public int realTokens() {
    return realTokens;
  }

  public int[] inputIds() {
    return inputIds.clone();
  }

  public int[] labels() {
    return labels.clone();
  }

  public int[] positionIds() {
    return positionIds.clone();
  }

  /** Sample index of each position within its row; padding is segment {@code seq_lens.length}. */
  public int[] segments() {
    return segments.clone();
  }

  public int[] cuSeqlens() {
    return cuSeqlens.clone();
  }

  public int maxSeqlen() {
    int max = 0;
    for (int i = 1; i < cuSeqlens.length; i++) max = Math.max(max, cuSeqlens[i] - cuSeqlens[i - 1]);
    return max;
  }

  /** {@code (B, T, T)} row-major: true where query and key lie in the same segment of their row. */
  public boolean[] blockMask() {
    boolean[] mask = new boolean[rows * length * length];
    for (int b = 0; b < rows; b++) {
      int base = b * length;
      for (int q = 0; q < length; q++) {
        int off = (b * length + q) * length;
        int sq = segments[base + q];
        for (int k = 0; k < length; k++) mask[off + k] = segments[base + k] == sq;
      }
    }
    return mask;
  }

  /**
   * The model inputs, in this order: {@code input_ids} and {@code position_ids} (int64 {@code (B, T)}, the type
   * PyTorch's embedding takes), then {@code attention_mask} if asked, then {@code cu_seqlens} and
   * {@code max_seqlen} if asked. Each array carries its name ({@link NDList#get(String)}).
   */
  public NDList data(NDManager manager, Set<AttentionLayout> layouts) {
    Shape bt = new Shape(rows, length);
    NDList out = new NDList(
        named(manager.create(widen(inputIds), bt), INPUT_IDS),
        named(manager.create(widen(positionIds), bt), POSITION_IDS));
    if (layouts.contains(AttentionLayout.BLOCK_MASK)) {
      out.add(named(manager.create(blockMask(), new Shape(rows, length, length)), ATTENTION_MASK));
    }
    if (layouts.contains(AttentionLayout.CU_SEQLENS)) {
      out.add(named(manager.create(cuSeqlens), CU_SEQLENS));
      out.add(named(manager.create(new int[] {maxSeqlen()}), MAX_SEQLEN));
    }
    return out;
  }

  /** {@code labels}, int64 {@code (B, T)}, unshifted (the loss shifts), {@code -100} where no loss. */
  public NDList labels(NDManager manager) {
    return new NDList(named(manager.create(widen(labels), new Shape(rows, length)), LABELS));
  }

  private static long[] widen(int[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) out[i] = values[i];
    return out;
  }

  private static NDArray named(NDArray a, String name) {
    a.setName(name);
    return a;
  }
}
