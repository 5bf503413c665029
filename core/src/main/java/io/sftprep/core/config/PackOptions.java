package io.sftprep.core.config;

import java.util.Locale;

/**
 * Packing settings ({@code pack.*}): the strategy, the row length, the window of samples BFD sees at once, row
 * padding ({@code none}, {@code seq-length}, or a multiple such as 8) and the pad token id (default: the
 * tokenizer's pad token, else its EOS).
 */
public record PackOptions(Strategy strategy, int seqLength, int window, int padMultiple, boolean padToSeqLength,
    Integer padTokenId) implements java.io.Serializable {
  public enum Strategy { BFD, NONE }

  public PackOptions {
    if (seqLength <= 0) throw new IllegalArgumentException("Cannot pack: seq-length must be positive, got " + seqLength);
    if (window <= 0) throw new IllegalArgumentException("Cannot pack: window must be positive, got " + window);
    if (padMultiple < 0) throw new IllegalArgumentException("Cannot pack: pad-to must be positive, got " + padMultiple);
  }

  static PackOptions parse(String strategy, int seqLength, int window, String padTo, String padId) {
    Strategy s;
    try {
      s = Strategy.valueOf(strategy.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown pack.strategy '" + strategy + "': expected bfd or none");
    }
    int multiple = 0;
    boolean toSeq = false;
    String p = padTo.strip().toLowerCase(Locale.ROOT);
    if (p.equals("seq-length")) toSeq = true;
    else if (!p.equals("none") && !p.isEmpty()) multiple = SftConfig.positiveInt("pack.pad-to", p);
    Integer id = padId == null || padId.isBlank() ? null : Integer.valueOf(padId.strip());
    return new PackOptions(s, seqLength, window, multiple, toSeq, id);
  }

  public String padToText() {
    return padToSeqLength ? "seq-length" : (padMultiple > 0 ? Integer.toString(padMultiple) : "none");
  }

  /** The padded length of a row of {@code n} tokens. */
  public int paddedLength(int n) {
    if (padToSeqLength) return Math.max(n, seqLength);
    if (padMultiple > 0) return (n + padMultiple - 1) / padMultiple * padMultiple;
    return n;
  }
}
