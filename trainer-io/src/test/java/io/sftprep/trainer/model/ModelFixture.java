package io.sftprep.trainer.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** A freshly initialised {@link TinyCausalLm} and a forward pass outside any trainer (inference mode). */
final class ModelFixture {
  final TinyCausalLm model;
  final NDManager manager;

  ModelFixture(NDManager manager, int vocab, int hidden, int heads, int maxPositions, int seed) {
    Engine.getInstance().setRandomSeed(seed);
    this.manager = manager;
    this.model = new TinyCausalLm(vocab, hidden, heads, maxPositions);
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 8), new Shape(1, 8), new Shape(1, 8, 8));
  }

  NDArray logits(NDList data) {
    return model.forward(new ParameterStore(manager, false), data, false).head();
  }
}
