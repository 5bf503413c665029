package io.sftprep.udfs;

import io.sftprep.core.pipeline.Rejected;
import io.sftprep.core.pipeline.RenderedRecord;
import org.apache.spark.sql.api.java.UDF1;

/**
 * {@code sft_render(messages)}: the text the conversation is tokenized from (the chat template's full rendering,
 * {@code add_generation_prompt=false}); null when it cannot be rendered.
 *
 * <pre>{@code sft_render('[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]')
 *   -> "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nHello!<|im_end|>\n"}</pre>
 */
public final class SftRender extends SftUdf implements UDF1<Object, String> {
  private static final long serialVersionUID = 1L;

  public SftRender() {
    this(SftFunctions.specFromActiveSession());
  }

  public SftRender(PreprocessorSpec spec) {
    super(spec);
  }

  @Override
  public String call(Object messages) {
    if (messages == null) return null;
    try {
      RenderedRecord r = preprocessor().render(record(messages));
      return r.parts().isEmpty() ? null : r.parts().get(0).text();
    } catch (Rejected e) {
      return null;
    }
  }
}
