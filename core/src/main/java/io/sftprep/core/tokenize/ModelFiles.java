package io.sftprep.core.tokenize;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.sftprep.core.json.Json;
import io.sftprep.core.json.JsonException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What sftprep reads from a Hugging Face tokenizer folder: {@code tokenizer.json} (for DJL, and its special
 * tokens), {@code tokenizer_config.json} (the chat template and the named special tokens that transformers passes
 * to it), and an optional {@code chat_template.jinja} that overrides the config's template, as in transformers.
 *
 * <pre>{@code ModelFiles.load(dir).specialTokens()  ->  {eos_token=<|im_end|>, pad_token=<|endoftext|>}   (qwen3)}</pre>
 */
public record ModelFiles(
    Path dir,
    String tokenizerSha256,
    String chatTemplate,
    Map<String, String> specialTokens,
    List<String> specialTokenStrings) {

  /** The named special tokens transformers always considers (its {@code SPECIAL_TOKENS_ATTRIBUTES}). */
  public static final List<String> NAMED_TOKENS =
      List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");

  public ModelFiles {
    specialTokens = Collections.unmodifiableMap(new LinkedHashMap<>(specialTokens));
    specialTokenStrings = List.copyOf(specialTokenStrings);
  }

  public Path tokenizerJson() {
    return dir.resolve("tokenizer.json");
  }

  private static final FileMemo<ModelFiles> LOADED = new FileMemo<>();

  /**
   * Loads the folder, once per JVM (again when one of its files changes); a missing chat template is null here and
   * reported by whoever needs one.
   */
  public static ModelFiles load(Path dir) throws IOException {
    Path tokJson = dir.resolve("tokenizer.json");
    if (!Files.exists(tokJson)) {
      throw new NoSuchFileException(tokJson.toString(), null, "no tokenizer.json in the tokenizer folder");
    }
    return LOADED.get(List.of(tokJson, dir.resolve("tokenizer_config.json"), dir.resolve("chat_template.jinja")),
        () -> read(dir));
  }

  @SuppressWarnings("unchecked")
  private static ModelFiles read(Path dir) throws IOException {
    Path tokJson = dir.resolve("tokenizer.json");
    String sha = sha256(tokJson);
    List<String> special = specialTokens(tokJson);
    if (special == null) special = specialTokensOfParsed(tokJson);
    Map<String, String> named = new LinkedHashMap<>();
    String template = null;
    Path cfgPath = dir.resolve("tokenizer_config.json");
    if (Files.exists(cfgPath)) {
      Map<String, Object> cfg;
      try {
        cfg = Json.parseObject(Files.readString(cfgPath, StandardCharsets.UTF_8));
      } catch (JsonException e) {
        throw new IOException("Cannot read " + cfgPath + ": " + e.getMessage(), e);
      }
      List<String> attrs = new ArrayList<>(NAMED_TOKENS);
      Object extra = cfg.get("extra_special_tokens");
      if (extra instanceof Map) attrs.addAll(((Map<String, Object>) extra).keySet());
      for (String attr : attrs) {
        String v = tokenText(cfg.get(attr));
        if (v == null && extra instanceof Map) v = tokenText(((Map<String, Object>) extra).get(attr));
        if (v != null) named.put(attr, v);
      }
      template = templateText(cfg.get("chat_template"));
    }
    Path jinja = dir.resolve("chat_template.jinja");
    if (Files.exists(jinja)) template = Files.readString(jinja, StandardCharsets.UTF_8);
    return new ModelFiles(dir, sha, template, named, special);
  }

  /**
   * The contents of {@code added_tokens} marked {@code special}, in order, read with a streaming parser (the
   * vocabulary and merges are skipped); null when an entry's content is not a string, which
   * {@link #specialTokensOfParsed} handles.
   */
  private static List<String> specialTokens(Path tokJson) throws IOException {
    List<String> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(tokJson); JsonParser p = TokenLengths.JSON.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (!field.equals("added_tokens")) {
          p.skipChildren();
          continue;
        }
        out.clear(); // a repeated key: the last one counts, as in Python's json
        if (t != JsonToken.START_ARRAY) {
          p.skipChildren();
          continue;
        }
        for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
          if (e != JsonToken.START_OBJECT) {
            p.skipChildren();
            continue;
          }
          String content = null;
          boolean special = false;
          boolean stringContent = true;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            JsonToken v = p.nextToken();
            if (k.equals("content")) {
              stringContent = v == JsonToken.VALUE_STRING;
              content = stringContent ? p.getText() : null;
            } else if (k.equals("special")) {
              special = v == JsonToken.VALUE_TRUE;
            }
            p.skipChildren();
          }
          if (special && !stringContent) return null;
          if (special) out.add(content);
        }
      }
      if (p.nextToken() != null) throw new IOException("Cannot read " + tokJson + ": data after the JSON value");
    } catch (JsonProcessingException e) {
      throw new IOException("Cannot read " + tokJson + ": " + e.getOriginalMessage(), e);
    }
    return out;
  }

  /** {@link #specialTokens} through the full JSON model, for contents that are not strings. */
  @SuppressWarnings("unchecked")
  private static List<String> specialTokensOfParsed(Path tokJson) throws IOException {
    List<String> special = new ArrayList<>();
    try {
      Map<String, Object> tj = Json.parseObject(Files.readString(tokJson, StandardCharsets.UTF_8));
      Object added = tj.get("added_tokens");
      if (added instanceof List) {
        for (Object o : (List<Object>) added) {
          if (o instanceof Map && Boolean.TRUE.equals(((Map<String, Object>) o).get("special"))) {
            special.add(String.valueOf(((Map<String, Object>) o).get("content")));
          }
        }
      }
    } catch (JsonException e) {
      throw new IOException("Cannot read " + tokJson + ": " + e.getMessage(), e);
    }
    return special;
  }

  @SuppressWarnings("unchecked")
  private static String tokenText(Object v) {
    if (v instanceof String) return (String) v;
    if (v instanceof Map) {
      Object c = ((Map<String, Object>) v).get("content");
      return c instanceof String ? (String) c : null;
    }
    return null;
  }

  /** A template is a string, or a list of {@code {name, template}} of which "default" is used. */
  @SuppressWarnings("unchecked")
  private static String templateText(Object v) {
    if (v instanceof String) return (String) v;
    if (v instanceof List) {
      for (Object o : (List<Object>) v) {
        if (o instanceof Map && "default".equals(((Map<String, Object>) o).get("name"))) {
          return String.valueOf(((Map<String, Object>) o).get("template"));
        }
      }
    }
    return null;
  }

  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
          text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
