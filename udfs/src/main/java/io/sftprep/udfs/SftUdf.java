package io.sftprep.udfs;

import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.core.pipeline.RecordResult;
import io.sftprep.core.pipeline.Rejected;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every sftprep function holds: the {@link PreprocessorSpec} made on the driver (from the active session's
 * {@code spark.sftprep.*} for the no-argument constructors that {@code registerJavaFunction} calls), and in each
 * task a preprocessor lent to it ({@link PreprocessorPool#forTask}).
 */
abstract class SftUdf implements Serializable {
  private static final long serialVersionUID = 1L;
  private final PreprocessorSpec spec;
  private final String messagesField;

  SftUdf(PreprocessorSpec spec) {
    this.spec = spec;
    this.messagesField = spec.config().format().messagesField();
  }

  final Preprocessor preprocessor() {
    return PreprocessorPool.forTask(spec);
  }

  /** The one-field record {@code {"messages": [...]}} (the configured messages field) of a messages value. */
  final Map<String, Object> record(Object messages) throws Rejected {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put(messagesField, SparkValues.messages(messages));
    return r;
  }

  /** The whole per-record path on a messages value. */
  final RecordResult process(Object messages) {
    try {
      return preprocessor().process(record(messages));
    } catch (Rejected e) {
      return RecordResult.rejected(null, e.reason(), e.detail());
    }
  }
}
