package io.sftprep.udfs;

import io.sftprep.core.pipeline.RecordResult;
import org.apache.spark.sql.api.java.UDF1;

/** {@code sft_num_tokens(messages)}: the length in tokens of the conversation's sample; null when it is rejected. */
public final class SftNumTokens extends SftUdf implements UDF1<Object, Integer> {
  private static final long serialVersionUID = 1L;

  public SftNumTokens() {
    this(SftFunctions.specFromActiveSession());
  }

  public SftNumTokens(PreprocessorSpec spec) {
    super(spec);
  }

  @Override
  public Integer call(Object messages) {
    if (messages == null) return null;
    RecordResult r = process(messages);
    return r.samples().isEmpty() ? null : r.samples().get(0).length();
  }
}
