package io.sftprep.udfs;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;

/**
 * {@code sft_tokenize(messages)}: {@code struct<input_ids, labels, num_tokens, num_trained, reject_reason>} with
 * the ids and labels the batch job writes for the conversation (before packing), or only {@code reject_reason}
 * ({@code "no-assistant-turn"}, {@code "too-long"}, ...). {@code messages} is {@code array<struct<role, content,
 * ...>>} or a JSON string of the list; null gives null.
 *
 * <pre>{@code sft_tokenize('[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]')   (Qwen3)
 *   -> {input_ids: [151644, 872, 198, 13048, 151645, 198, 151644, 77091, 198, 151667, 271, 151668, 271, 9707, 0, 151645, 198],
 *       labels:    [-100, -100, -100, -100, -100, -100, -100, -100, -100, 151667, 271, 151668, 271, 9707, 0, 151645, -100],
 *       num_tokens: 17, num_trained: 7, reject_reason: null}}</pre>
 */
public final class SftTokenize extends SftUdf implements UDF1<Object, Row> {
  private static final long serialVersionUID = 1L;

  public SftTokenize() {
    this(SftFunctions.specFromActiveSession());
  }

  public SftTokenize(PreprocessorSpec spec) {
    super(spec);
  }

  @Override
  public Row call(Object messages) {
    return messages == null ? null : SftFunctions.tokenized(process(messages));
  }
}
