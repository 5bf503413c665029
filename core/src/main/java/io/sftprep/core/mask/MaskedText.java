package io.sftprep.core.mask;

import java.util.List;

/**
 * Rendered text and the sorted, disjoint spans of it that are trained; {@code specialTextHits} counts literal
 * special-token strings found inside message content (reported in the stats).
 */
public record MaskedText(String text, List<CharSpan> spans, int specialTextHits) {
  public MaskedText {
    spans = List.copyOf(spans);
  }
}
