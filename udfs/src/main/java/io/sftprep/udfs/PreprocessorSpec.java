package io.sftprep.udfs;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.json.JsonWriter;
import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * What an executor thread needs to build the same {@link Preprocessor} as the driver, made once on the driver:
 * the tokenizer URI and the SHA-256 of its {@code tokenizer.json} (checked on every executor, so a tokenizer
 * replaced mid-run fails loudly instead of mixing two vocabularies), the resolved settings with the instant
 * {@code strftime_now} reports, the chat template text, and the Hadoop settings to reach the tokenizer's file
 * system. The batch job and the SQL functions both use it.
 */
public final class PreprocessorSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String tokenizerUri;
  private final String tokenizerSha256;
  private final TreeMap<String, String> config;
  private final String templateText;
  private final String templateNow;
  private final TreeMap<String, String> hadoopConf;
  private final String cacheKey;

  public PreprocessorSpec(String tokenizerUri, String tokenizerSha256, Map<String, String> config, String templateText,
      String templateNow, Map<String, String> hadoopConf) {
    if (tokenizerUri == null || tokenizerUri.isBlank()) {
      throw new IllegalArgumentException("Cannot preprocess: the tokenizer URI is empty");
    }
    this.tokenizerUri = tokenizerUri;
    this.tokenizerSha256 = tokenizerSha256;
    this.config = new TreeMap<>(config);
    this.templateText = templateText;
    this.templateNow = LocalDateTime.parse(templateNow).toString();
    this.hadoopConf = new TreeMap<>(hadoopConf);
    Map<String, Object> key = new TreeMap<>();
    key.put("tokenizer", tokenizerUri);
    key.put("sha", tokenizerSha256);
    key.put("config", this.config);
    key.put("template", templateText == null ? "" : templateText);
    key.put("now", this.templateNow);
    this.cacheKey = ModelFiles.sha256(JsonWriter.compact(key));
  }

  /**
   * Resolves {@code settings} (SftConfig keys) against the tokenizer at {@code tokenizerUri} on the driver: copies
   * the tokenizer when it is remote, reads its template (or the {@code template.chat-template} file), fixes
   * {@code template.now} to the start of today (UTC) unless given, and keeps the Hadoop settings that differ from
   * the defaults.
   */
  public static PreprocessorSpec resolve(String tokenizerUri, Map<String, String> settings, Configuration hadoop)
      throws IOException {
    SftConfig config = SftConfig.fromMap(settings);
    java.nio.file.Path dir = LocalTokenizers.localFolder(tokenizerUri, hadoop);
    ModelFiles files = ModelFiles.load(dir);
    String template = config.chatTemplateFile() != null ? readText(config.chatTemplateFile(), hadoop)
        : files.chatTemplate();
    LocalDateTime now = config.templateNow() != null ? config.templateNow()
        : LocalDate.now(ZoneOffset.UTC).atStartOfDay();
    TreeMap<String, String> resolved = new TreeMap<>(config.resolved());
    resolved.put(SftConfig.TEMPLATE_NOW, now.toString());
    return new PreprocessorSpec(tokenizerUri, files.tokenizerSha256(), resolved, template, now.toString(),
        changedSettings(hadoop));
  }

  /** The entries of {@code conf} that a fresh {@code new Configuration()} does not already hold. */
  static TreeMap<String, String> changedSettings(Configuration conf) {
    Configuration defaults = new Configuration();
    TreeMap<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : conf) {
      if (!e.getValue().equals(defaults.getRaw(e.getKey()))) out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  private static String readText(String uri, Configuration conf) throws IOException {
    Path p = new Path(uri);
    try (InputStream in = p.getFileSystem(conf).open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public String tokenizerUri() {
    return tokenizerUri;
  }

  public String tokenizerSha256() {
    return tokenizerSha256;
  }

  public SftConfig config() {
    return SftConfig.fromMap(config);
  }

  public String templateNow() {
    return templateNow;
  }

  /** Identifies the preprocessing a thread may reuse. */
  public String cacheKey() {
    return cacheKey;
  }

  /** The Hadoop configuration on this JVM: its defaults with the driver's settings on top. */
  public Configuration hadoop() {
    Configuration c = new Configuration();
    hadoopConf.forEach(c::set);
    return c;
  }

  /** Opens a new tokenizer and preprocessor (for one thread); the caller closes the tokenizer. */
  ThreadPreprocessors.Opened open() throws IOException {
    java.nio.file.Path dir = LocalTokenizers.localFolder(tokenizerUri, hadoop());
    ModelFiles files = ModelFiles.load(dir);
    if (tokenizerSha256 != null && !tokenizerSha256.equals(files.tokenizerSha256())) {
      throw new IllegalStateException("the tokenizer at " + tokenizerUri + " changed since the driver read it: "
          + "tokenizer.json has SHA-256 " + files.tokenizerSha256() + ", expected " + tokenizerSha256);
    }
    HfTokenizer tok = HfTokenizer.open(dir);
    try {
      return new ThreadPreprocessors.Opened(new Preprocessor(config(), files, tok, templateText,
          LocalDateTime.parse(templateNow)), tok);
    } catch (RuntimeException e) {
      tok.close();
      throw e;
    }
  }
}
