package io.sftprep.udfs;

import io.sftprep.core.pipeline.Reason;
import io.sftprep.core.pipeline.RecordResult;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;

/**
 * {@code sft_tokenize_json(line)}: one raw JSONL line in any input layout the job reads (detected per record, or
 * {@code spark.sftprep.format}), as {@code array<struct<part, chunk, input_ids, labels, num_tokens, num_trained,
 * reject_reason>>}: one element per sample or rejected conversation, ordered by part then chunk; most records give
 * exactly one. {@code inline(sft_tokenize_json(value))} turns them into rows.
 */
public final class SftTokenizeJson extends SftUdf implements UDF1<Object, List<Row>> {
  private static final long serialVersionUID = 1L;

  public SftTokenizeJson() {
    this(SftFunctions.specFromActiveSession());
  }

  public SftTokenizeJson(PreprocessorSpec spec) {
    super(spec);
  }

  @Override
  public List<Row> call(Object line) {
    if (line == null) return null;
    RecordResult r = line instanceof String ? preprocessor().process((String) line)
        : RecordResult.rejected(null, Reason.BAD_FIELD, "sft_tokenize_json takes a JSON string, got "
            + line.getClass().getSimpleName() + "; use to_json(...) on a struct");
    return SftFunctions.samples(r);
  }
}
