package io.sftprep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.sftprep.trainer.batch.PackedBatch;

/**
 * A one-block causal language model, small enough to train in a test, that reads packed rows the way a real
 * trainer must: token embedding plus a learned embedding of {@code position_ids} (which restart at each sample),
 * one pre-norm block of multi-head self-attention and a GELU MLP, and an LM head. Attention is allowed where the
 * batch's block-diagonal {@code attention_mask} and the causal mask both allow it, so a packed row computes
 * exactly what its samples would compute alone.
 *
 * <p>Inputs: {@code input_ids}, {@code position_ids} (int64 {@code (B, T)}) and {@code attention_mask} (boolean
 * {@code (B, T, T)}), found by name or else in that order. Output: logits, float32 {@code (B, T, vocab)}.
 */
public final class TinyCausalLm extends AbstractBlock {
  private static final float MASKED = -1e9f;

  private final int vocab;
  private final int hidden;
  private final int heads;
  private final Parameter tokens;
  private final Parameter positions;
  private final LayerNorm norm1;
  private final Linear qkv;
  private final Linear proj;
  private final LayerNorm norm2;
  private final Linear up;
  private final Linear down;
  private final LayerNorm normOut;
  private final Linear head;

  /**
   * @param vocab token ids lie in {@code [0, vocab)}
   * @param hidden model width, a multiple of {@code heads}
   * @param maxPositions position ids lie in {@code [0, maxPositions)} (the packed row length is enough)
   */
  public TinyCausalLm(int vocab, int hidden, int heads, int maxPositions) {
    if (vocab <= 0 || hidden <= 0 || heads <= 0 || maxPositions <= 0 || hidden % heads != 0) {
      throw new IllegalArgumentException(String.format(
          "Cannot build a model of vocab %d, hidden %d, heads %d, positions %d: all positive, hidden a multiple of heads",
          vocab, hidden, heads, maxPositions));
    }
    this.vocab = vocab;
    this.hidden = hidden;
    this.heads = heads;
    this.tokens = addParameter(Parameter.builder().setName("token_embedding").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(vocab, hidden)).optInitializer(new NormalInitializer(0.02f)).build());
    this.positions = addParameter(Parameter.builder().setName("position_embedding").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(maxPositions, hidden)).optInitializer(new NormalInitializer(0.02f)).build());
    this.norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).build());
    this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * hidden).build());
    this.proj = addChildBlock("proj", Linear.builder().setUnits(hidden).build());
    this.norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).build());
    this.up = addChildBlock("up", Linear.builder().setUnits(4L * hidden).build());
    this.down = addChildBlock("down", Linear.builder().setUnits(hidden).build());
    this.normOut = addChildBlock("norm_out", LayerNorm.builder().axis(2).build());
    this.head = addChildBlock("lm_head", Linear.builder().setUnits(vocab).build());
  }

  public int vocab() {
    return vocab;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = input(inputs, PackedBatch.INPUT_IDS, 0);
    NDArray pos = input(inputs, PackedBatch.POSITION_IDS, 1);
    NDArray allowed = input(inputs, PackedBatch.ATTENTION_MASK, 2);
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    long dh = hidden / heads;
    NDManager m = ids.getManager();

    NDArray x = Embedding.embedding(ids, ps.getValue(tokens, ids.getDevice(), training), SparseFormat.DENSE).head()
        .add(Embedding.embedding(pos, ps.getValue(positions, ids.getDevice(), training), SparseFormat.DENSE).head());

    // attention: (B*H, T, dh) per head
    NDArray h = norm1.forward(ps, new NDList(x), training).head();
    NDList qkvParts = qkv.forward(ps, new NDList(h), training).head().split(3, 2);
    NDArray q = heads(qkvParts.get(0), b, t, dh);
    NDArray k = heads(qkvParts.get(1), b, t, dh);
    NDArray v = heads(qkvParts.get(2), b, t, dh);
    NDArray scores = q.batchMatMul(k.transpose(0, 2, 1)).div((float) Math.sqrt(dh));
    NDArray causal = m.create(causal((int) t), new Shape(t, t));
    NDArray allow = allowed.toType(DataType.BOOLEAN, false).logicalAnd(causal.expandDims(0)) // (B, T, T)
        .expandDims(1).broadcast(b, heads, t, t).reshape(b * heads, t, t);
    NDArray bias = allow.toType(scores.getDataType(), false).sub(1f).mul(-MASKED);
    NDArray attn = scores.add(bias).softmax(2).batchMatMul(v); // (B*H, T, dh)
    attn = attn.reshape(b, heads, t, dh).transpose(0, 2, 1, 3).reshape(b, t, hidden);
    x = x.add(proj.forward(ps, new NDList(attn), training).head());

    NDArray mlp = up.forward(ps, norm2.forward(ps, new NDList(x), training), training).head();
    x = x.add(down.forward(ps, new NDList(Activation.gelu(mlp)), training).head());
    NDArray logits = head.forward(ps, normOut.forward(ps, new NDList(x), training), training).head();
    return new NDList(logits);
  }

  /** {@code (T, T)} row-major: key {@code j} visible to query {@code i} when {@code j <= i}. */
  private static boolean[] causal(int t) {
    boolean[] c = new boolean[t * t];
    for (int i = 0; i < t; i++) java.util.Arrays.fill(c, i * t, i * t + i + 1, true);
    return c;
  }

  private NDArray heads(NDArray a, long b, long t, long dh) {
    return a.reshape(b, t, heads, dh).transpose(0, 2, 1, 3).reshape(b * heads, t, dh);
  }

  private static NDArray input(NDList inputs, String name, int index) {
    NDArray byName = inputs.get(name);
    if (byName != null) return byName;
    if (inputs.size() <= index) {
      throw new IllegalArgumentException("TinyCausalLm needs " + name + " (input " + index + "), got "
          + inputs.size() + " inputs; build the dataset with AttentionLayout.BLOCK_MASK");
    }
    return inputs.get(index);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape ids = inputShapes[0];
    return new Shape[] {new Shape(ids.get(0), ids.get(1), vocab)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape ids = inputShapes[0];
    Shape x = new Shape(ids.get(0), ids.get(1), hidden);
    norm1.initialize(manager, dataType, x);
    qkv.initialize(manager, dataType, x);
    proj.initialize(manager, dataType, x);
    norm2.initialize(manager, dataType, x);
    up.initialize(manager, dataType, x);
    down.initialize(manager, dataType, new Shape(ids.get(0), ids.get(1), 4L * hidden));
    normOut.initialize(manager, dataType, x);
    head.initialize(manager, dataType, x);
  }
}
