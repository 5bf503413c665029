package io.sftprep.core.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sftprep.core.json.Json;
import io.sftprep.core.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A tokenizer folder is read once per JVM, again when it changes, and its special tokens as the full parse gives. */
class ModelFilesTest {
  @TempDir Path tmp;

  /** What the full JSON model says: contents of the added tokens marked special, in order. */
  @SuppressWarnings("unchecked")
  static List<String> specialByFullParse(Path tokJson) throws Exception {
    List<String> out = new ArrayList<>();
    Map<String, Object> tj = Json.parseObject(Files.readString(tokJson, StandardCharsets.UTF_8));
    for (Object o : (List<Object>) tj.get("added_tokens")) {
      Map<String, Object> m = (Map<String, Object>) o;
      if (Boolean.TRUE.equals(m.get("special"))) out.add(String.valueOf(m.get("content")));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"qwen3", "llama3", "gemma3", "deepseek_v3"})
  void specialTokensEqualTheFullParse(String name) throws Exception {
    Path dir = Fixtures.requireTokenizer(name);
    assertEquals(specialByFullParse(dir.resolve("tokenizer.json")), ModelFiles.load(dir).specialTokenStrings());
  }

  private static void write(Path file, String text, long mtime) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, FileTime.fromMillis(mtime));
  }

  @Test
  void aFolderIsReadOnceAndAgainWhenAFileChanges() throws Exception {
    Path tj = tmp.resolve("tokenizer.json");
    write(tj, "{\"added_tokens\": [{\"id\": 0, \"content\": \"<a>\", \"special\": true}, "
        + "{\"id\": 1, \"content\": \"<b>\", \"special\": false}], \"model\": {\"vocab\": {\"x\": 2}}}", 1_000_000);
    write(tmp.resolve("tokenizer_config.json"), "{\"eos_token\": \"<a>\", \"chat_template\": \"{{ 1 }}\"}", 1_000_000);
    ModelFiles first = ModelFiles.load(tmp);
    assertEquals(List.of("<a>"), first.specialTokenStrings());
    assertSame(first, ModelFiles.load(tmp), "the second load is the first one's value");

    write(tj, "{\"added_tokens\": [{\"id\": 0, \"content\": \"<a>\", \"special\": true}, "
        + "{\"id\": 1, \"content\": \"<c>\", \"special\": true}], \"model\": {\"vocab\": {\"x\": 2}}}", 2_000_000);
    ModelFiles changed = ModelFiles.load(tmp);
    assertNotSame(first, changed);
    assertEquals(List.of("<a>", "<c>"), changed.specialTokenStrings());
    assertEquals("{{ 1 }}", changed.chatTemplate());

    write(tmp.resolve("chat_template.jinja"), "{{ 2 }}", 2_000_000);
    assertEquals("{{ 2 }}", ModelFiles.load(tmp).chatTemplate(), "a template file that appears is read");
  }

  @Test
  void aRepeatedKeyCountsOnceAndNonStringContentFollowsTheFullParse() throws Exception {
    write(tmp.resolve("tokenizer.json"), "{\"added_tokens\": [{\"content\": \"<x>\", \"special\": true}], "
        + "\"added_tokens\": [{\"content\": 7, \"special\": true}, \"odd\", {\"content\": \"<y>\"}]}", 3_000_000);
    assertEquals(List.of("7"), ModelFiles.load(tmp).specialTokenStrings());
  }

  @Test
  void brokenJsonIsAnErrorNamingTheFile() throws Exception {
    write(tmp.resolve("tokenizer.json"), "{\"added_tokens\": [", 4_000_000);
    IOException e = assertThrows(IOException.class, () -> ModelFiles.load(tmp));
    assertEquals(true, e.getMessage().contains("tokenizer.json"), e.getMessage());
  }
}
