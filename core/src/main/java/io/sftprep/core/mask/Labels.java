package io.sftprep.core.mask;

import java.util.List;

/**
 * Turns trained character spans into labels over tokens, in the Hugging Face convention: same length as the ids,
 * the id where the token is trained, {@code -100} where it is not. A token is trained when any of its characters
 * lies in a trained span, so a token straddling a boundary is trained (what transformers'
 * {@code return_assistant_tokens_mask} does).
 *
 * <pre>{@code ids [1, 2, 3], offsets [0,2) [2,4) [4,6), span [3,6)  ->  labels [-100, 2, 3]}</pre>
 */
public final class Labels {
  public static final int IGNORE = -100;

  private Labels() {}

  public static int[] of(int[] ids, int[] starts, int[] ends, List<CharSpan> spans) {
    int n = ids.length;
    int[] labels = new int[n];
    int k = 0;
    int prevStart = 0;
    for (int t = 0; t < n; t++) {
      int s = starts[t];
      int e = ends[t];
      if (s < prevStart) k = 0; // offsets normally never go back; stay correct if they do
      prevStart = s;
      while (k < spans.size() && spans.get(k).end() <= s) k++;
      boolean trained = false;
      if (k < spans.size()) {
        CharSpan sp = spans.get(k); // the first span ending after s: the only one that can hold s
        trained = s == e ? sp.start() <= s : sp.start() < e;
      }
      labels[t] = trained ? ids[t] : IGNORE;
    }
    return labels;
  }

  /** Ids and labels of a rendered text, from one tokenizer call. */
  public record Tokens(int[] ids, int[] labels) {}

  /**
   * A text's ids and, when the tokenizer has no fixed per-token byte lengths, its per-token offsets too (null
   * otherwise): one tokenizer call, made before the spans are known.
   */
  public record Encoding(int[] ids, io.sftprep.core.tokenize.Encoded offsets) {}

  public static Encoding encode(io.sftprep.core.tokenize.HfTokenizer tok, String text) {
    if (tok.lengths() != null) return new Encoding(tok.encodeIds(text), null);
    io.sftprep.core.tokenize.Encoded e = tok.encode(text);
    return new Encoding(e.ids(), e);
  }

  /**
   * Labels {@code text}'s tokens from its trained {@code spans}: from the tokenizer's fixed per-token byte lengths
   * when it has them and they hold for this text, else from its per-token offsets (asked for again if need be).
   * Both give the same labels (a token is trained when any of its bytes, hence any of its characters, is in a
   * span).
   */
  public static int[] label(io.sftprep.core.tokenize.HfTokenizer tok, String text, Encoding enc,
      List<CharSpan> spans) {
    io.sftprep.core.tokenize.Encoded offsets = enc.offsets();
    if (offsets == null) {
      int[] spanBytes = new int[spans.size() * 2];
      int total = utf8Offsets(text, spans, spanBytes);
      int[] bounds = tok.lengths().boundaries(text, enc.ids(), total);
      if (bounds != null) return ofBoundaries(enc.ids(), bounds, spanBytes);
      offsets = tok.encode(text);
      if (!java.util.Arrays.equals(offsets.ids(), enc.ids())) {
        throw new IllegalStateException("the tokenizer gave different ids for the same text");
      }
    }
    return of(offsets.ids(), offsets.starts(), offsets.ends(), spans);
  }

  /** {@link #encode} then {@link #label}. */
  public static Tokens tokenize(io.sftprep.core.tokenize.HfTokenizer tok, String text, List<CharSpan> spans) {
    Encoding enc = encode(tok, text);
    return new Tokens(enc.ids(), label(tok, text, enc, spans));
  }

  /** UTF-8 byte offsets of the spans' starts and ends (into {@code out}, pairwise); returns the text's length. */
  static int utf8Offsets(String text, List<CharSpan> spans, int[] out) {
    int k = 0;
    int n = out.length;
    int bytes = 0;
    int len = text.length();
    for (int i = 0; i <= len; i++) {
      while (k < n && (k % 2 == 0 ? spans.get(k / 2).start() : spans.get(k / 2).end()) == i) out[k++] = bytes;
      if (i == len) break;
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
        while (k < n && (k % 2 == 0 ? spans.get(k / 2).start() : spans.get(k / 2).end()) == i) out[k++] = bytes - 2;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** Labels from each token's byte start ({@code bounds}, with the total last) and byte spans (pairs). */
  static int[] ofBoundaries(int[] ids, int[] bounds, int[] spanBytes) {
    int n = ids.length;
    int[] labels = new int[n];
    int k = 0;
    int spans = spanBytes.length / 2;
    for (int t = 0; t < n; t++) {
      int s = bounds[t];
      int e = bounds[t + 1];
      while (k < spans && spanBytes[2 * k + 1] <= s) k++;
      boolean trained = k < spans && (s == e ? spanBytes[2 * k] <= s : spanBytes[2 * k] < e);
      labels[t] = trained ? ids[t] : IGNORE;
    }
    return labels;
  }

  /**
   * The labels of a sample as one bit per token (set: trained, the label is the token's id), a quarter of their
   * size as ints for the samples a job keeps between stages; {@link #fromTrainedBits} gives them back.
   *
   * <pre>{@code ids [7, 8, 9], labels [-100, 8, 9]  ->  bits [0b110]}</pre>
   *
   * @throws IllegalArgumentException when a label is neither its token's id nor {@code -100}
   */
  public static byte[] trainedBits(int[] ids, int[] labels) {
    if (ids.length != labels.length) {
      throw new IllegalArgumentException("Cannot pack labels: " + ids.length + " ids, " + labels.length + " labels");
    }
    byte[] bits = new byte[trainedBytes(ids.length)];
    for (int i = 0; i < ids.length; i++) {
      if (labels[i] == ids[i]) {
        bits[i >>> 3] |= (byte) (1 << (i & 7));
      } else if (labels[i] != IGNORE) {
        throw new IllegalArgumentException("Cannot pack labels: label " + labels[i] + " at " + i + " is neither "
            + "the id " + ids[i] + " nor " + IGNORE);
      }
    }
    return bits;
  }

  /** The labels {@link #trainedBits} packed. */
  public static int[] fromTrainedBits(int[] ids, byte[] bits) {
    int[] labels = new int[ids.length];
    for (int i = 0; i < ids.length; i++) labels[i] = isTrained(bits, 0, i) ? ids[i] : IGNORE;
    return labels;
  }

  /** The length of the {@link #trainedBits} of {@code tokens} tokens: a bit each, from a byte of their own. */
  public static int trainedBytes(int tokens) {
    return (tokens + 7) >>> 3;
  }

  /** Whether token {@code i} is trained, in a sample's {@link #trainedBits} that start at {@code bits[from]}. */
  public static boolean isTrained(byte[] bits, int from, int i) {
    return (bits[from + (i >>> 3)] & (1 << (i & 7))) != 0;
  }

  public static int countTrained(int[] labels) {
    int c = 0;
    for (int l : labels) if (l != IGNORE) c++;
    return c;
  }
}
