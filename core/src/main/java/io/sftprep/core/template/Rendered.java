package io.sftprep.core.template;

import java.util.ArrayList;
import java.util.List;

/**
 * The text a template rendered and, for templates with {@code {% generation %}} blocks, the spans those blocks
 * covered, as {@code [start, end)} offsets in Java chars (UTF-16 units) of {@link #text()}.
 */
public record Rendered(String text, List<Span> generationSpans) {
  public record Span(int start, int end) {
    public Span {
      if (start < 0 || end < start) {
        throw new IllegalArgumentException("Cannot make span: need 0 <= start <= end, got [" + start + ", " + end
            + ")");
      }
    }
  }

  /** The generation spans in code points, as Python counts string positions. */
  public List<Span> generationSpansInCodePoints() {
    List<Span> out = new ArrayList<>(generationSpans.size());
    for (Span s : generationSpans) {
      out.add(new Span(text.codePointCount(0, s.start()), text.codePointCount(0, s.end())));
    }
    return out;
  }
}
