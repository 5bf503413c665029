package io.sftprep.core.pipeline;

import io.sftprep.core.format.Format;
import java.util.List;

/**
 * The text a record becomes before tokenization, one {@link Part} per conversation: what {@code sft_render} shows.
 * A conversation that cannot be rendered is a {@link Rejection} instead, with the same reasons the full path gives.
 *
 * <pre>{@code RenderedRecord(OPENAI_MESSAGES, [Part(0, "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n...")], [])}</pre>
 */
public record RenderedRecord(Format format, List<Part> parts, List<Rejection> rejections) {
  /** The rendered text of conversation {@code part} of the record. */
  public record Part(int part, String text) {}

  public RenderedRecord {
    parts = List.copyOf(parts);
    rejections = List.copyOf(rejections);
  }

  static RenderedRecord rejected(Format format, Reason reason, String detail) {
    return new RenderedRecord(format, List.of(), List.of(new Rejection(0, reason, detail)));
  }
}
