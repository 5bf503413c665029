package io.sftprep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import io.sftprep.trainer.batch.PackedBatch;

/**
 * Next-token cross-entropy over trained tokens only, as Hugging Face causal LMs compute it from unshifted labels:
 * the logits at position {@code t} predict {@code labels[t + 1]}; positions whose label is {@code -100} carry no
 * loss; the loss is the mean over the tokens that do. With logits {@code (B, T, V)} and labels {@code (B, T)}:
 *
 * <pre>
 * loss = sum over b, t &lt; T-1 with labels[b, t+1] != -100 of -log_softmax(logits[b, t])[labels[b, t+1]]
 *        / (number of such b, t)
 * </pre>
 *
 * sftprep sets the label of each packed sample's first token to {@code -100}, so no position is ever scored on
 * predicting the next sample. A batch without trained tokens has loss 0.
 */
public final class MaskedNextTokenLoss extends Loss {
  public MaskedNextTokenLoss() {
    super("masked_next_token_loss");
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray[] parts = perToken(labels.head(), predictions.head());
    NDArray count = parts[1].sum().maximum(1f);
    return parts[0].sum().div(count);
  }

  /**
   * The loss of each predicting position, {@code (B, T-1)}, 0 where not trained; and the mask of trained
   * positions, float {@code (B, T-1)}.
   */
  public NDArray[] perToken(NDArray labels, NDArray logits) {
    NDArray target = labels.get(":, 1:");
    NDArray trained = target.neq(PackedBatch.IGNORE_INDEX);
    NDArray safe = target.mul(trained.toType(target.getDataType(), false)).toType(DataType.INT64, false);
    NDArray logp = logits.get(":, :-1, :").logSoftmax(-1);
    NDArray picked = logp.gather(safe.expandDims(-1), -1).squeeze(-1);
    NDArray weight = trained.toType(logp.getDataType(), false);
    return new NDArray[] {picked.neg().mul(weight), weight};
  }
}
