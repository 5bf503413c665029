package io.sftprep.core.config;

import io.sftprep.core.format.Format;
import io.sftprep.core.format.FormatOptions;
import io.sftprep.core.json.Json;
import io.sftprep.core.json.JsonException;
import io.sftprep.core.mask.MaskOptions;
import io.sftprep.core.mask.MaskPolicy;
import io.sftprep.core.pipeline.LengthOptions;
import io.sftprep.core.template.RenderLimits;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every setting of a run, typed, with one constant and one default per key. Built once on the driver from
 * defaults, then a config file, then {@code --set key=value} (later wins), and handed to the steps as typed values.
 * {@link #resolved()} lists every key with its effective value, for the manifest and the fingerprint.
 */
public record SftConfig(
    FormatOptions format,
    MaskOptions mask,
    LengthOptions length,
    String chatTemplateFile,
    Map<String, Object> templateVars,
    LocalDateTime templateNow,
    RenderLimits renderLimits,
    io.sftprep.core.template.ChatRenderer.ToolArguments toolArguments,
    PackOptions pack,
    int numShards,
    long rowGroupBytes,
    double maxRejectFraction,
    long inputSplitBytes) implements java.io.Serializable {

  // ---- keys and defaults (one line each; README "Configuration" lists the same)
  public static final String FORMAT = "format";
  public static final String FORMAT_DEFAULT = "auto";
  public static final String MESSAGES_FIELD = "format.messages-field";
  public static final String MESSAGES_FIELD_DEFAULT = "messages";
  public static final String ROLE_KEY = "format.role-key";
  public static final String ROLE_KEY_DEFAULT = "role";
  public static final String CONTENT_KEY = "format.content-key";
  public static final String CONTENT_KEY_DEFAULT = "content";
  public static final String CHAT_TEMPLATE = "template.chat-template";
  public static final String CHAT_TEMPLATE_DEFAULT = "";
  public static final String TEMPLATE_VARS_PREFIX = "template.vars.";
  public static final String TEMPLATE_NOW = "template.now";
  public static final String TEMPLATE_NOW_DEFAULT = "";
  public static final String MAX_RENDER_MS = "template.max-render-ms";
  public static final String MAX_RENDER_MS_DEFAULT = "2000";
  public static final String MAX_RENDER_CHARS = "template.max-output-chars";
  public static final String MAX_RENDER_CHARS_DEFAULT = "16777216";
  public static final String MAX_RENDER_DEPTH = "template.max-recursion-depth";
  public static final String MAX_RENDER_DEPTH_DEFAULT = "200";
  public static final String MAX_RENDER_ITERATIONS = "template.max-loop-iterations";
  public static final String MAX_RENDER_ITERATIONS_DEFAULT = "10000000";
  public static final String TOOL_ARGUMENTS = "template.tool-arguments";
  public static final String TOOL_ARGUMENTS_DEFAULT = "object";
  public static final String MASK_POLICY = "mask.policy";
  public static final String MASK_POLICY_DEFAULT = "assistant";
  public static final String MASK_ROLES = "mask.roles";
  public static final String MASK_ROLES_DEFAULT = "assistant";
  public static final String MASK_EOT_TOKENS = "mask.eot-tokens";
  public static final String MASK_EOT_TOKENS_DEFAULT = "";
  public static final String MASK_TRAIN_EOT = "mask.train-eot";
  public static final String MASK_TRAIN_EOT_DEFAULT = "true";
  public static final String MASK_SOURCE = "mask.source";
  public static final String MASK_SOURCE_DEFAULT = "auto";
  public static final String SPECIAL_TOKENS = "content.special-tokens";
  public static final String SPECIAL_TOKENS_DEFAULT = "keep";
  public static final String MAX_LENGTH = "max-length";
  public static final String MAX_LENGTH_DEFAULT = "";
  public static final String OVERFLOW = "overflow";
  public static final String OVERFLOW_DEFAULT = "drop";
  public static final String PACK_STRATEGY = "pack.strategy";
  public static final String PACK_STRATEGY_DEFAULT = "bfd";
  public static final String PACK_SEQ_LENGTH = "pack.seq-length";
  public static final String PACK_SEQ_LENGTH_DEFAULT = "4096";
  public static final String PACK_WINDOW = "pack.window";
  public static final String PACK_WINDOW_DEFAULT = "20000";
  public static final String PACK_PAD_TO = "pack.pad-to";
  public static final String PACK_PAD_TO_DEFAULT = "none";
  public static final String PACK_PAD_TOKEN_ID = "pack.pad-token-id";
  public static final String PACK_PAD_TOKEN_ID_DEFAULT = "";
  public static final String NUM_SHARDS = "output.num-shards";
  public static final String NUM_SHARDS_DEFAULT = "auto";
  /** With {@code output.num-shards=auto}: one shard per this many full rows (at least 1, at most 256). */
  public static final long AUTO_ROWS_PER_SHARD = 4096;
  public static final String ROW_GROUP_BYTES = "output.row-group-bytes";
  public static final String ROW_GROUP_BYTES_DEFAULT = "33554432";
  public static final String MAX_REJECT_FRACTION = "max-reject-fraction";
  public static final String MAX_REJECT_FRACTION_DEFAULT = "0.05";
  public static final String INPUT_SPLIT_BYTES = "input.split-bytes";
  public static final String INPUT_SPLIT_BYTES_DEFAULT = "33554432";

  private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  static {
    DEFAULTS.put(FORMAT, FORMAT_DEFAULT);
    DEFAULTS.put(MESSAGES_FIELD, MESSAGES_FIELD_DEFAULT);
    DEFAULTS.put(ROLE_KEY, ROLE_KEY_DEFAULT);
    DEFAULTS.put(CONTENT_KEY, CONTENT_KEY_DEFAULT);
    DEFAULTS.put(CHAT_TEMPLATE, CHAT_TEMPLATE_DEFAULT);
    DEFAULTS.put(TEMPLATE_NOW, TEMPLATE_NOW_DEFAULT);
    DEFAULTS.put(MAX_RENDER_MS, MAX_RENDER_MS_DEFAULT);
    DEFAULTS.put(MAX_RENDER_CHARS, MAX_RENDER_CHARS_DEFAULT);
    DEFAULTS.put(MAX_RENDER_DEPTH, MAX_RENDER_DEPTH_DEFAULT);
    DEFAULTS.put(MAX_RENDER_ITERATIONS, MAX_RENDER_ITERATIONS_DEFAULT);
    DEFAULTS.put(TOOL_ARGUMENTS, TOOL_ARGUMENTS_DEFAULT);
    DEFAULTS.put(MASK_POLICY, MASK_POLICY_DEFAULT);
    DEFAULTS.put(MASK_ROLES, MASK_ROLES_DEFAULT);
    DEFAULTS.put(MASK_EOT_TOKENS, MASK_EOT_TOKENS_DEFAULT);
    DEFAULTS.put(MASK_TRAIN_EOT, MASK_TRAIN_EOT_DEFAULT);
    DEFAULTS.put(MASK_SOURCE, MASK_SOURCE_DEFAULT);
    DEFAULTS.put(SPECIAL_TOKENS, SPECIAL_TOKENS_DEFAULT);
    DEFAULTS.put(MAX_LENGTH, MAX_LENGTH_DEFAULT);
    DEFAULTS.put(OVERFLOW, OVERFLOW_DEFAULT);
    DEFAULTS.put(PACK_STRATEGY, PACK_STRATEGY_DEFAULT);
    DEFAULTS.put(PACK_SEQ_LENGTH, PACK_SEQ_LENGTH_DEFAULT);
    DEFAULTS.put(PACK_WINDOW, PACK_WINDOW_DEFAULT);
    DEFAULTS.put(PACK_PAD_TO, PACK_PAD_TO_DEFAULT);
    DEFAULTS.put(PACK_PAD_TOKEN_ID, PACK_PAD_TOKEN_ID_DEFAULT);
    DEFAULTS.put(NUM_SHARDS, NUM_SHARDS_DEFAULT);
    DEFAULTS.put(ROW_GROUP_BYTES, ROW_GROUP_BYTES_DEFAULT);
    DEFAULTS.put(MAX_REJECT_FRACTION, MAX_REJECT_FRACTION_DEFAULT);
    DEFAULTS.put(INPUT_SPLIT_BYTES, INPUT_SPLIT_BYTES_DEFAULT);
  }

  /**
   * The number of shards for a run of {@code tokens} tokens: the configured number, or with {@code auto} one
   * shard per {@value #AUTO_ROWS_PER_SHARD} full rows, so each shard packs enough samples to fill its rows.
   */
  public int shardsFor(long tokens) {
    if (numShards > 0) return numShards;
    long rows = (tokens + pack.seqLength() - 1) / pack.seqLength();
    return (int) Math.max(1, Math.min(256, (rows + AUTO_ROWS_PER_SHARD - 1) / AUTO_ROWS_PER_SHARD));
  }

  /** Every known key with its default (template.vars.* aside). */
  public static Map<String, String> defaults() {
    return java.util.Collections.unmodifiableMap(DEFAULTS);
  }

  /** The defaults alone. */
  public static SftConfig defaultConfig() {
    return fromMap(Map.of());
  }

  /**
   * Builds the config from {@code key -> value} settings (a file's, then the command line's, merged by the
   * caller); unknown keys are an error that names them.
   */
  public static SftConfig fromMap(Map<String, String> settings) {
    Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
    Map<String, Object> vars = new TreeMap<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String k = e.getKey().trim();
      if (k.startsWith(TEMPLATE_VARS_PREFIX)) {
        vars.put(k.substring(TEMPLATE_VARS_PREFIX.length()), jsonOrString(e.getValue()));
      } else if (DEFAULTS.containsKey(k)) {
        v.put(k, e.getValue().trim());
      } else {
        throw new IllegalArgumentException("unknown config key '" + k + "'; known keys: "
            + String.join(", ", DEFAULTS.keySet()) + ", " + TEMPLATE_VARS_PREFIX + "<name>");
      }
    }
    FormatOptions format = new FormatOptions(Format.fromKey(v.get(FORMAT)), v.get(MESSAGES_FIELD),
        v.get(ROLE_KEY), v.get(CONTENT_KEY));
    MaskOptions mask = new MaskOptions(
        MaskPolicy.fromKey(v.get(MASK_POLICY)),
        new LinkedHashSet<>(list(v.get(MASK_ROLES))),
        list(v.get(MASK_EOT_TOKENS)),
        bool(MASK_TRAIN_EOT, v.get(MASK_TRAIN_EOT)) ? MaskOptions.EotTraining.TRAIN : MaskOptions.EotTraining.SKIP,
        choice(SPECIAL_TOKENS, v.get(SPECIAL_TOKENS), MaskOptions.SpecialTokenText.class),
        choice(MASK_SOURCE, v.get(MASK_SOURCE), MaskOptions.MaskSource.class));
    PackOptions pack = PackOptions.parse(v.get(PACK_STRATEGY), positiveInt(PACK_SEQ_LENGTH, v.get(PACK_SEQ_LENGTH)),
        positiveInt(PACK_WINDOW, v.get(PACK_WINDOW)), v.get(PACK_PAD_TO), v.get(PACK_PAD_TOKEN_ID));
    int maxLength = v.get(MAX_LENGTH).isEmpty() ? pack.seqLength() : positiveInt(MAX_LENGTH, v.get(MAX_LENGTH));
    if (pack.strategy() == PackOptions.Strategy.BFD && maxLength > pack.seqLength()) {
      throw new IllegalArgumentException("max-length " + maxLength + " exceeds pack.seq-length " + pack.seqLength()
          + ": a sample that long cannot be packed; lower max-length or raise pack.seq-length");
    }
    LengthOptions length = new LengthOptions(maxLength, LengthOptions.Overflow.fromKey(v.get(OVERFLOW)));
    String now = v.get(TEMPLATE_NOW);
    double rejectFraction = Double.parseDouble(v.get(MAX_REJECT_FRACTION));
    if (rejectFraction < 0 || rejectFraction > 1) {
      throw new IllegalArgumentException(MAX_REJECT_FRACTION + " must be within [0, 1], got " + rejectFraction);
    }
    return new SftConfig(format, mask, length,
        v.get(CHAT_TEMPLATE).isEmpty() ? null : v.get(CHAT_TEMPLATE),
        vars,
        now.isEmpty() ? null : LocalDateTime.parse(now),
        new RenderLimits(Duration.ofMillis(positiveInt(MAX_RENDER_MS, v.get(MAX_RENDER_MS))),
            positiveLong(MAX_RENDER_CHARS, v.get(MAX_RENDER_CHARS)),
            positiveInt(MAX_RENDER_DEPTH, v.get(MAX_RENDER_DEPTH)),
            positiveLong(MAX_RENDER_ITERATIONS, v.get(MAX_RENDER_ITERATIONS))),
        choice(TOOL_ARGUMENTS, v.get(TOOL_ARGUMENTS), io.sftprep.core.template.ChatRenderer.ToolArguments.class),
        pack,
        v.get(NUM_SHARDS).equalsIgnoreCase("auto") ? 0 : positiveInt(NUM_SHARDS, v.get(NUM_SHARDS)),
        positiveLong(ROW_GROUP_BYTES, v.get(ROW_GROUP_BYTES)),
        rejectFraction,
        positiveLong(INPUT_SPLIT_BYTES, v.get(INPUT_SPLIT_BYTES)));
  }

  public SftConfig {
    templateVars = java.util.Collections.unmodifiableMap(new TreeMap<>(templateVars));
  }

  /** Every key with its effective value, sorted; what the manifest records and the fingerprint hashes. */
  public Map<String, String> resolved() {
    Map<String, String> r = new TreeMap<>();
    r.put(FORMAT, format.forced() == null ? "auto" : format.forced().key());
    r.put(MESSAGES_FIELD, format.messagesField());
    r.put(ROLE_KEY, format.roleKey());
    r.put(CONTENT_KEY, format.contentKey());
    r.put(CHAT_TEMPLATE, chatTemplateFile == null ? "" : chatTemplateFile);
    r.put(TEMPLATE_NOW, templateNow == null ? "" : templateNow.toString());
    r.put(MAX_RENDER_MS, Long.toString(renderLimits.maxTime().toMillis()));
    r.put(MAX_RENDER_CHARS, Long.toString(renderLimits.maxOutputChars()));
    r.put(MAX_RENDER_DEPTH, Integer.toString(renderLimits.maxDepth()));
    r.put(MAX_RENDER_ITERATIONS, Long.toString(renderLimits.maxIterations()));
    r.put(TOOL_ARGUMENTS, toolArguments.name().toLowerCase(java.util.Locale.ROOT));
    r.put(MASK_POLICY, mask.policy().key());
    r.put(MASK_ROLES, String.join(",", new java.util.TreeSet<>(mask.roles())));
    r.put(MASK_EOT_TOKENS, String.join(",", mask.eotTokens()));
    r.put(MASK_TRAIN_EOT, Boolean.toString(mask.eot() == MaskOptions.EotTraining.TRAIN));
    r.put(MASK_SOURCE, mask.source().name().toLowerCase(java.util.Locale.ROOT));
    r.put(SPECIAL_TOKENS, mask.specialText().name().toLowerCase(java.util.Locale.ROOT));
    r.put(MAX_LENGTH, Integer.toString(length.maxLength()));
    r.put(OVERFLOW, length.overflow().key());
    r.put(PACK_STRATEGY, pack.strategy().name().toLowerCase(java.util.Locale.ROOT));
    r.put(PACK_SEQ_LENGTH, Integer.toString(pack.seqLength()));
    r.put(PACK_WINDOW, Integer.toString(pack.window()));
    r.put(PACK_PAD_TO, pack.padToText());
    r.put(PACK_PAD_TOKEN_ID, pack.padTokenId() == null ? "" : pack.padTokenId().toString());
    r.put(NUM_SHARDS, numShards == 0 ? "auto" : Integer.toString(numShards));
    r.put(ROW_GROUP_BYTES, Long.toString(rowGroupBytes));
    r.put(MAX_REJECT_FRACTION, Double.toString(maxRejectFraction));
    r.put(INPUT_SPLIT_BYTES, Long.toString(inputSplitBytes));
    for (Map.Entry<String, Object> e : templateVars.entrySet()) {
      r.put(TEMPLATE_VARS_PREFIX + e.getKey(), io.sftprep.core.json.JsonWriter.compact(e.getValue()));
    }
    return r;
  }

  /** Parses {@code key=value} lines (a {@code .properties} file, {@code #} comments) or {@code key: value} YAML. */
  public static Map<String, String> parseFile(String text, String fileName) {
    boolean yaml = fileName.endsWith(".yaml") || fileName.endsWith(".yml");
    return yaml ? SimpleYaml.flatten(text, fileName) : properties(text, fileName);
  }

  private static Map<String, String> properties(String text, String fileName) {
    Map<String, String> out = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : text.split("\r?\n", -1)) {
      lineNo++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#") || t.startsWith("!")) continue;
      int eq = t.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(fileName + ":" + lineNo + ": expected key=value, found '" + t + "'");
      }
      out.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
    }
    return out;
  }

  /** A {@code key=value} from the command line. */
  public static Map.Entry<String, String> parseSetting(String kv) {
    int eq = kv.indexOf('=');
    if (eq <= 0) throw new IllegalArgumentException("--set expects key=value, got '" + kv + "'");
    return Map.entry(kv.substring(0, eq).strip(), kv.substring(eq + 1));
  }

  private static Object jsonOrString(String s) {
    try {
      return Json.parse(s);
    } catch (JsonException e) {
      return s;
    }
  }

  static List<String> list(String s) {
    List<String> out = new ArrayList<>();
    if (s == null || s.isBlank()) return out;
    for (String p : s.split(",")) {
      if (!p.isBlank()) out.add(p.strip());
    }
    return out;
  }

  private static boolean bool(String key, String s) {
    switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "true": case "yes": case "1": return true;
      case "false": case "no": case "0": return false;
      default: throw new IllegalArgumentException(key + " must be true or false, got '" + s + "'");
    }
  }

  static int positiveInt(String key, String s) {
    long v = positiveLong(key, s);
    if (v > Integer.MAX_VALUE) throw new IllegalArgumentException(key + " is too large: " + s);
    return (int) v;
  }

  static long positiveLong(String key, String s) {
    try {
      long v = Long.parseLong(s.strip());
      if (v <= 0) throw new IllegalArgumentException(key + " must be positive, got " + s);
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + s + "'");
    }
  }

  private static <E extends Enum<E>> E choice(String key, String s, Class<E> type) {
    try {
      return Enum.valueOf(type, s.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": unknown value '" + s + "', expected one of "
          + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).toList());
    }
  }

  static Set<String> knownKeys() {
    return DEFAULTS.keySet();
  }
}
