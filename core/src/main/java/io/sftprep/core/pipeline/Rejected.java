package io.sftprep.core.pipeline;

/** The outcome of a step that could not use its record: the reason and a human detail naming what was wrong. */
public final class Rejected extends Exception {
  private static final long serialVersionUID = 1L;
  private final Reason reason;

  public Rejected(Reason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  public String detail() {
    return getMessage();
  }
}
