package io.sftprep.trainer.example;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.sftprep.trainer.batch.PackedBatch;
import io.sftprep.trainer.dataset.ShardBatch;
import io.sftprep.trainer.dataset.ShardDataset;
import io.sftprep.trainer.model.MaskedNextTokenLoss;
import io.sftprep.trainer.model.TinyCausalLm;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The training example: a {@link TinyCausalLm} trained with Adam on sftprep output through {@link ShardDataset},
 * on {@code gpu(0)} when DJL's PyTorch engine sees a GPU, else on the CPU. Prints one line per step (loss,
 * tokens, tokens/s) and the loss of the first batch before and after training.
 *
 * <pre>
 * java -Dai.djl.offline=true -cp "$(cat trainer-io/target/runtime-classpath.txt):trainer-io/target/classes" \
 *   io.sftprep.trainer.example.TrainTinyLm out/sample [steps] [batch-size] [shuffle-seed]
 * </pre>
 */
public final class TrainTinyLm {
  /** Settings of a run; {@link #defaults} are what the tests and the command line use. */
  public record Settings(String root, int steps, int batchSize, int hidden, int heads, float learningRate,
      long seed, Device device) {
    public static Settings defaults(String root) {
      Device device = Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
      return new Settings(root, 5, 4, 32, 2, 1e-2f, 42, device);
    }

    public Settings withSteps(int n) {
      return new Settings(root, n, batchSize, hidden, heads, learningRate, seed, device);
    }
  }

  /** One optimizer step: its loss (before the update), the tokens it saw, and how long it took. */
  public record Step(int step, float loss, long tokens, long trainedTokens, double seconds) {
    public double tokensPerSecond() {
      return tokens / seconds;
    }
  }

  /** The steps, and the loss of the first batch before the first step and after the last. */
  public record Result(List<Step> steps, float firstBatchLossBefore, float firstBatchLossAfter, int vocab,
      Device device) {}

  private TrainTinyLm() {}

  public static Result train(Settings s) throws IOException {
    CompactVocabulary vocab = CompactVocabulary.scan(s.root());
    ShardDataset data = ShardDataset.builder().setRoot(s.root()).setBatchSize(s.batchSize())
        .optShuffle(s.seed()).optTransform(vocab::apply).optPadTokenId(vocab.padTokenId()).build();
    data.prepare(null);
    int maxPositions = data.published().seqLength();
    Engine.getInstance().setRandomSeed((int) s.seed());
    MaskedNextTokenLoss loss = new MaskedNextTokenLoss();
    try (Model model = Model.newInstance("tiny-causal-lm", s.device(), "PyTorch");
        NDManager manager = NDManager.newBaseManager(s.device(), "PyTorch")) {
      model.setBlock(new TinyCausalLm(vocab.size(), s.hidden(), s.heads(), maxPositions));
      DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(s.learningRate())).build())
          .optDevices(new Device[] {s.device()});
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(1, 8), new Shape(1, 8), new Shape(1, 8, 8));
        List<Step> steps = new ArrayList<>();
        float before = Float.NaN;
        NDList firstData = null;
        NDList firstLabels = null;
        int epoch = 0;
        Iterator<Batch> batches = data.getData(manager).iterator();
        for (int i = 1; i <= s.steps(); i++) {
          if (!batches.hasNext()) {
            data = ShardDataset.builder().setRoot(s.root()).setBatchSize(s.batchSize())
                .optShuffle(s.seed()).optEpoch(++epoch).optTransform(vocab::apply)
                .optPadTokenId(vocab.padTokenId()).build();
            batches = data.getData(manager).iterator();
          }
          try (Batch batch = batches.next()) {
            if (firstData == null) {
              firstData = copy(batch.getData(), manager);
              firstLabels = copy(batch.getLabels(), manager);
              before = evaluate(trainer, loss, firstData, firstLabels);
            }
            long t0 = System.nanoTime();
            float value;
            try (GradientCollector gc = trainer.newGradientCollector()) {
              NDList preds = trainer.forward(batch.getData(), batch.getLabels());
              NDArray l = loss.evaluate(batch.getLabels(), preds);
              gc.backward(l);
              value = l.getFloat();
            }
            trainer.step();
            double seconds = (System.nanoTime() - t0) / 1e9;
            PackedBatch packed = ((ShardBatch) batch).packed();
            steps.add(new Step(i, value, packed.realTokens(), packed.trainedTokens(), seconds));
          }
        }
        float after = evaluate(trainer, loss, firstData, firstLabels);
        return new Result(steps, before, after, vocab.size(), s.device());
      }
    }
  }

  private static float evaluate(Trainer trainer, MaskedNextTokenLoss loss, NDList data, NDList labels) {
    try (NDManager scope = data.getManager().newSubManager()) {
      NDList preds = trainer.evaluate(data);
      preds.attach(scope);
      NDArray l = loss.evaluate(labels, preds);
      l.attach(scope);
      return l.getFloat();
    }
  }

  private static NDList copy(NDList list, NDManager manager) {
    NDList out = new NDList();
    for (NDArray a : list) {
      NDArray c = a.duplicate();
      c.setName(a.getName());
      c.attach(manager);
      out.add(c);
    }
    return out;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: TrainTinyLm OUTPUT_DIR [steps] [batch-size] [shuffle-seed]");
      System.exit(2);
    }
    Settings d = Settings.defaults(args[0]);
    Settings s = new Settings(args[0], args.length > 1 ? Integer.parseInt(args[1]) : 20,
        args.length > 2 ? Integer.parseInt(args[2]) : d.batchSize(), d.hidden(), d.heads(), d.learningRate(),
        args.length > 3 ? Long.parseLong(args[3]) : d.seed(), d.device());
    Result r = train(s);
    System.out.printf("device %s, vocabulary %d ids%n", r.device(), r.vocab());
    for (Step st : r.steps()) {
      System.out.printf("step %3d  loss %.4f  tokens %6d  trained %6d  %.3f s  %,.0f tokens/s%n",
          st.step(), st.loss(), st.tokens(), st.trainedTokens(), st.seconds(), st.tokensPerSecond());
    }
    System.out.printf("first batch loss: %.4f before, %.4f after %d steps%n",
        r.firstBatchLossBefore(), r.firstBatchLossAfter(), r.steps().size());
  }
}
