package io.sftprep.trainer.dataset;

/** What happens to the rows left at the end of an epoch when they do not fill a batch. */
public enum LastBatch {
  /** Delivered as a smaller batch. */
  KEEP,
  /** Not delivered (every batch has exactly the batch size). */
  DROP
}
