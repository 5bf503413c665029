package io.sftprep.core.tokenize;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many bytes of the original UTF-8 text each token id stands for, when a tokenizer makes that a fixed number:
 * byte-level BPE (Qwen, Llama 3, DeepSeek: one vocabulary character per byte) and Metaspace BPE with byte fallback
 * (Gemma: {@code ▁} is one space, {@code <0xNN>} one byte). With it, token boundaries come from ids alone, so the
 * tokenizer is asked for ids only, without per-token offset objects. {@link #boundaries} answers null whenever the
 * text or an id makes the answer uncertain (a text that is not NFC under an NFC normaliser, an unknown id, a
 * total that does not add up), and the caller falls back to the tokenizer's offsets.
 */
public final class TokenLengths {
  enum Kind { BYTE_LEVEL, METASPACE_BYTE_FALLBACK }

  private final Kind kind;
  private final boolean nfc;
  private final int[] bytes; // per id; -1 unknown

  private TokenLengths(Kind kind, boolean nfc, int[] bytes) {
    this.kind = kind;
    this.nfc = nfc;
    this.bytes = bytes;
  }

  private static final FileMemo<TokenLengths> LOADED = new FileMemo<>();

  /**
   * The table for a {@code tokenizer.json}, or null when its pipeline does not allow one; read once per JVM (and
   * again when the file changes).
   */
  public static TokenLengths load(Path tokenizerJson) throws IOException {
    return LOADED.get(List.of(tokenizerJson), () -> read(tokenizerJson));
  }

  /**
   * Jackson, without the default limits a large {@code tokenizer.json} exceeds, and without interning field names
   * (the vocabulary's 150,000 keys would only fill its symbol table).
   */
  static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
      .maxStringLength(Integer.MAX_VALUE).maxNestingDepth(10_000).build())
      .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();

  private static TokenLengths read(Path tokenizerJson) throws IOException {
    Map<String, Integer> vocab = new HashMap<>();
    Map<Integer, String> added = new HashMap<>();
    String normalizer = null;
    String replaceContent = null;
    String replacePattern = null;
    String decoder = null;
    String modelType = null;
    boolean byteFallback = false;
    boolean byteLevelPre = false;
    try (InputStream in = Files.newInputStream(tokenizerJson); JsonParser p = JSON.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "added_tokens":
            while (p.nextToken() == JsonToken.START_OBJECT) {
              Integer id = null;
              String content = null;
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                p.nextToken();
                if (k.equals("id")) id = p.getIntValue();
                else if (k.equals("content")) content = p.getText();
                else p.skipChildren();
              }
              if (id != null && content != null) added.put(id, content);
            }
            break;
          case "normalizer":
            if (t == JsonToken.START_OBJECT) {
              String[] info = normalizerInfo(p);
              normalizer = info[0];
              replacePattern = info[1];
              replaceContent = info[2];
            }
            break;
          case "pre_tokenizer":
            if (t == JsonToken.START_OBJECT) byteLevelPre = containsType(p, "ByteLevel");
            break;
          case "decoder":
            if (t == JsonToken.START_OBJECT) decoder = containsType(p, "ByteLevel") ? "ByteLevel" : "other";
            break;
          case "model":
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String k = p.currentName();
              JsonToken v = p.nextToken();
              if (k.equals("type")) {
                modelType = p.getText();
              } else if (k.equals("byte_fallback")) {
                byteFallback = v == JsonToken.VALUE_TRUE;
              } else if (k.equals("vocab") && v == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                  String tok = p.currentName();
                  p.nextToken();
                  vocab.put(tok, p.getIntValue());
                }
              } else {
                p.skipChildren();
              }
            }
            break;
          default:
            p.skipChildren();
        }
      }
    }
    if (!"BPE".equals(modelType)) return null;
    Kind kind;
    boolean nfc = false;
    if (("ByteLevel".equals(decoder) || byteLevelPre) && (normalizer == null || normalizer.equals("none")
        || normalizer.equals("NFC"))) {
      kind = Kind.BYTE_LEVEL;
      nfc = "NFC".equals(normalizer);
    } else if (byteFallback && "Replace".equals(normalizer) && " ".equals(replacePattern)
        && "\u2581".equals(replaceContent)) {
      kind = Kind.METASPACE_BYTE_FALLBACK;
    } else {
      return null;
    }
    int max = -1;
    for (int id : vocab.values()) max = Math.max(max, id);
    for (int id : added.keySet()) max = Math.max(max, id);
    int[] bytes = new int[max + 1];
    Arrays.fill(bytes, -1);
    for (Map.Entry<String, Integer> e : vocab.entrySet()) bytes[e.getValue()] = modelBytes(kind, e.getKey());
    for (Map.Entry<Integer, String> e : added.entrySet()) {
      // byte-level: an added token is matched on the raw text, so it stands for its content's bytes. Metaspace:
      // texts holding a literal '▁' never take this path, so a '▁' in an added token (Gemma lists runs
      // of them) can only have come from a normalised space, one byte each
      bytes[e.getKey()] = kind == Kind.BYTE_LEVEL ? e.getValue().getBytes(StandardCharsets.UTF_8).length
          : modelBytes(kind, e.getValue());
    }
    return new TokenLengths(kind, nfc, bytes);
  }

  /** [type, replace pattern, replace content]; a Sequence of nothing is "none", of one is that one. */
  private static String[] normalizerInfo(JsonParser p) throws IOException {
    String type = null;
    String pattern = null;
    String content = null;
    int inner = 0;
    String innerType = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String k = p.currentName();
      JsonToken v = p.nextToken();
      if (k.equals("type")) {
        type = p.getText();
      } else if (k.equals("content") && v == JsonToken.VALUE_STRING) {
        content = p.getText();
      } else if (k.equals("pattern") && v == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String pk = p.currentName();
          p.nextToken();
          if (pk.equals("String")) pattern = p.getText();
          else p.skipChildren();
        }
      } else if (k.equals("normalizers") && v == JsonToken.START_ARRAY) {
        while (p.nextToken() == JsonToken.START_OBJECT) {
          String[] sub = normalizerInfo(p);
          inner++;
          innerType = sub[0];
          pattern = sub[1];
          content = sub[2];
        }
      } else {
        p.skipChildren();
      }
    }
    if ("Sequence".equals(type)) {
      if (inner == 0) return new String[] {"none", null, null};
      if (inner == 1) return new String[] {innerType, pattern, content};
      return new String[] {"Sequence", null, null};
    }
    return new String[] {type, pattern, content};
  }

  /** Whether the object at the parser (already past START_OBJECT) has a {@code type} equal to {@code want}. */
  private static boolean containsType(JsonParser p, String want) throws IOException {
    boolean found = false;
    int depth = 1;
    while (depth > 0) {
      JsonToken t = p.nextToken();
      if (t == null) break;
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) depth++;
      else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) depth--;
      else if (t == JsonToken.FIELD_NAME && p.currentName().equals("type")) {
        p.nextToken();
        if (want.equals(p.getText())) found = true;
      }
    }
    return found;
  }

  private static int modelBytes(Kind kind, String token) {
    if (kind == Kind.BYTE_LEVEL) return token.codePointCount(0, token.length());
    if (token.length() == 6 && token.startsWith("<0x") && token.endsWith(">")) return 1;
    int n = 0;
    for (int i = 0; i < token.length(); ) {
      int cp = token.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '\u2581') n += 1;
      else n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
    return n;
  }

  /**
   * Each token's start in the text's UTF-8 bytes, plus the total as a last element; null when the lengths cannot
   * be trusted for this text and these ids.
   */
  public int[] boundaries(String text, int[] ids, int utf8Length) {
    if (nfc && !java.text.Normalizer.isNormalized(text, java.text.Normalizer.Form.NFC)) return null;
    if (kind == Kind.METASPACE_BYTE_FALLBACK && text.indexOf('\u2581') >= 0) return null;
    int[] at = new int[ids.length + 1];
    int pos = 0;
    for (int i = 0; i < ids.length; i++) {
      int id = ids[i];
      if (id < 0 || id >= bytes.length || bytes[id] < 0) return null;
      at[i] = pos;
      pos += bytes[id];
    }
    at[ids.length] = pos;
    return pos == utf8Length ? at : null;
  }
}
