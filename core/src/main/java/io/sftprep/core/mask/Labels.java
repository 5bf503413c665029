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

  public static int countTrained(int[] labels) {
    int c = 0;
    for (int l : labels) if (l != IGNORE) c++;
    return c;
  }
}
