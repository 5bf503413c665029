package io.sftprep.udfs;

import io.sftprep.core.pipeline.RecordResult;
import io.sftprep.core.pipeline.Rejection;
import io.sftprep.core.pipeline.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataType;

/**
 * sftprep's Spark SQL functions, each a thin adapter over core's {@code Preprocessor} (the batch job's per-record
 * path), with the tokenizer given once per session:
 *
 * <pre>{@code
 * SftFunctions.register(spark, "/Volumes/main/sft/tokenizers/qwen3");
 * spark.sql("SELECT sft_tokenize(messages).num_tokens FROM chats")
 * }</pre>
 *
 * From PySpark, set {@code spark.sftprep.tokenizer} (and any setting as {@code spark.sftprep.<key>}, e.g.
 * {@code spark.sftprep.mask.policy}) and call {@code spark.udf.registerJavaFunction(name, className, ddl)} with
 * the names, classes and return types of {@link Fn}; each class reads the session's settings when it is made.
 * Settings are read once, at registration: register again after changing them.
 */
public final class SftFunctions {
  /** Session conf prefix: {@code spark.sftprep.tokenizer} and {@code spark.sftprep.<config key>}. */
  public static final String CONF_PREFIX = "spark.sftprep.";
  /** The option (and, under {@link #CONF_PREFIX}, session conf) naming the tokenizer folder: any Hadoop URI. */
  public static final String TOKENIZER = "tokenizer";

  public static final String TOKENIZED_DDL = "struct<input_ids:array<int>,labels:array<int>,num_tokens:int,"
      + "num_trained:int,reject_reason:string>";
  public static final String SAMPLES_DDL = "array<struct<part:int,chunk:int,input_ids:array<int>,"
      + "labels:array<int>,num_tokens:int,num_trained:int,reject_reason:string>>";

  /** The functions: SQL name, class (for {@code registerJavaFunction}), return type as DDL. */
  public enum Fn {
    /** {@code sft_render(messages) -> string}: the chat template's rendering; null when it cannot be rendered. */
    RENDER("sft_render", SftRender.class, "string", SftRender::new),
    /** {@code sft_tokenize(messages) -> struct}: ids and labels exactly as the job; {@code reject_reason} else. */
    TOKENIZE("sft_tokenize", SftTokenize.class, TOKENIZED_DDL, SftTokenize::new),
    /** {@code sft_tokenize_json(line) -> array<struct>}: a raw JSONL line, any layout, one element per sample. */
    TOKENIZE_JSON("sft_tokenize_json", SftTokenizeJson.class, SAMPLES_DDL, SftTokenizeJson::new),
    /** {@code sft_num_tokens(messages) -> int}: the sample's length; null when rejected. */
    NUM_TOKENS("sft_num_tokens", SftNumTokens.class, "int", SftNumTokens::new);

    private final String sqlName;
    private final Class<? extends UDF1<?, ?>> udfClass;
    private final String ddl;
    private final Function<PreprocessorSpec, UDF1<?, ?>> make;

    Fn(String sqlName, Class<? extends UDF1<?, ?>> udfClass, String ddl, Function<PreprocessorSpec, UDF1<?, ?>> make) {
      this.sqlName = sqlName;
      this.udfClass = udfClass;
      this.ddl = ddl;
      this.make = make;
    }

    public String sqlName() {
      return sqlName;
    }

    public String className() {
      return udfClass.getName();
    }

    public String ddl() {
      return ddl;
    }

    public DataType returnType() {
      return DataType.fromDDL(ddl);
    }
  }

  private SftFunctions() {}

  /** Registers every function as a temporary function of {@code spark}, tokenizing with the folder at the URI. */
  public static void register(SparkSession spark, String tokenizerUri) {
    register(spark, Map.of(TOKENIZER, tokenizerUri));
  }

  /**
   * Registers every function with {@code options}: {@code tokenizer} (required) and any sftprep config key
   * ({@code mask.policy}, {@code template.now}, {@code max-length}, ...).
   */
  public static void register(SparkSession spark, Map<String, String> options) {
    PreprocessorSpec spec = spec(spark, options);
    for (Fn f : Fn.values()) spark.udf().register(f.sqlName(), f.make.apply(spec), f.returnType());
  }

  /** The spec from {@code spark.sftprep.*} of the active session: what the no-argument constructors use. */
  static PreprocessorSpec specFromActiveSession() {
    SparkSession spark = SparkSession.active();
    Map<String, String> all = scala.jdk.javaapi.CollectionConverters.asJava(spark.conf().getAll());
    Map<String, String> options = new TreeMap<>();
    for (Map.Entry<String, String> e : all.entrySet()) {
      if (e.getKey().startsWith(CONF_PREFIX)) options.put(e.getKey().substring(CONF_PREFIX.length()), e.getValue());
    }
    if (!options.containsKey(TOKENIZER)) {
      throw new IllegalStateException("sftprep functions need the tokenizer: set " + CONF_PREFIX + TOKENIZER
          + " to its folder (any Hadoop URI) before registering them, or call SftFunctions.register(spark, uri)");
    }
    return spec(spark, options);
  }

  private static PreprocessorSpec spec(SparkSession spark, Map<String, String> options) {
    Map<String, String> settings = new TreeMap<>(options);
    String tokenizer = settings.remove(TOKENIZER);
    if (tokenizer == null || tokenizer.isBlank()) {
      throw new IllegalArgumentException("sftprep functions need option '" + TOKENIZER + "' (the tokenizer folder)");
    }
    try {
      return PreprocessorSpec.resolve(tokenizer, settings, spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + tokenizer, e);
    }
  }

  /** {@link #TOKENIZED_DDL} of a one-conversation result: its first sample, or its first rejection's reason. */
  static Row tokenized(RecordResult r) {
    if (!r.samples().isEmpty()) {
      Sample s = r.samples().get(0);
      return RowFactory.create(s.inputIds(), s.labels(), s.length(), s.numTrained(), null);
    }
    return RowFactory.create(null, null, null, null, r.rejections().get(0).reason().key());
  }

  /** {@link #SAMPLES_DDL}: every sample and rejection of a record, by part then chunk. */
  static List<Row> samples(RecordResult r) {
    List<Object[]> rows = new ArrayList<>();
    for (Sample s : r.samples()) {
      rows.add(new Object[] {s.part(), s.chunk(), s.inputIds(), s.labels(), s.length(), s.numTrained(), null});
    }
    for (Rejection j : r.rejections()) {
      rows.add(new Object[] {j.part(), 0, null, null, null, null, j.reason().key()});
    }
    rows.sort(Comparator.<Object[]>comparingInt(o -> (Integer) o[0]).thenComparingInt(o -> (Integer) o[1]));
    List<Row> out = new ArrayList<>(rows.size());
    for (Object[] o : rows) out.add(RowFactory.create(o));
    return out;
  }
}
