package io.sftprep.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The no-Spark commands: {@code preview --json} keeps one object per input line; {@code inspect} decodes a row. */
class CliTest {
  @TempDir Path tmp;

  static Path tokenizer() {
    String cache = System.getenv("SFTPREP_CACHE");
    Path base = cache != null ? Paths.get(cache) : Paths.get(System.getProperty("user.home"), ".cache", "sftprep");
    Path dir = base.resolve("tokenizers/qwen3");
    Assumptions.assumeTrue(Files.exists(dir.resolve("tokenizer.json")), "skipped: qwen3 tokenizer not fetched");
    return dir;
  }

  static String capture(ThrowingRunnable r) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void previewJsonPrintsOneObjectPerInputLineInOrder() throws Exception {
    Path tok = tokenizer();
    Path input = tmp.resolve("in.jsonl");
    Files.writeString(input, String.join("\n",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello!\"}]}",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"cut",
        "",
        "{\"text\": \"plain text\"}") + "\n");
    String out = capture(() -> Preview.run(new String[] {"--tokenizer", tok.toString(), "--input",
        input.toString(), "--json"}));
    List<String> lines = out.lines().toList();
    assertEquals(3, lines.size(), out);
    Map<String, Object> first = Json.parseObject(lines.get(0));
    assertEquals(1L, first.get("line"));
    assertEquals("openai-messages", first.get("format"));
    assertEquals("ok", first.get("status"));
    assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nHello!<|im_end|>\n",
        first.get("text"));
    Map<String, Object> second = Json.parseObject(lines.get(1));
    assertEquals(2L, second.get("line"));
    assertEquals("rejected", second.get("status"));
    assertEquals("invalid-json", second.get("reason"));
    Map<String, Object> third = Json.parseObject(lines.get(2));
    assertEquals(4L, third.get("line"));
    assertEquals("text", third.get("format"));
  }

  static final String CHAT = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, "
      + "{\"role\": \"assistant\", \"content\": \"Hello!\"}]}\n";

  @Test
  void chatTemplateFileReplacesTheTokenizersByFlagOrConfigKey() throws Exception {
    Path tok = tokenizer();
    Path input = tmp.resolve("in.jsonl");
    Files.writeString(input, CHAT);
    Path template = tmp.resolve("plain.jinja");
    Files.writeString(template, "{% for m in messages %}<{{ m.role }}>{{ m.content }}\n{% endfor %}");
    for (List<String> option : List.of(List.of("--chat-template", template.toString()),
        List.of("--set", "template.chat-template=" + template))) {
      List<String> argv = new java.util.ArrayList<>(List.of("--tokenizer", tok.toString(), "--input",
          input.toString(), "--json"));
      argv.addAll(option);
      String out = capture(() -> Preview.run(argv.toArray(new String[0])));
      Map<String, Object> first = Json.parseObject(out.lines().findFirst().orElseThrow());
      assertEquals("ok", first.get("status"), out);
      assertEquals("<user>Hi\n<assistant>Hello!\n", first.get("text"), option.toString());
    }
  }

  @Test
  void aTokenizerWithoutAChatTemplateRejectsChatsNamingTheOption() throws Exception {
    Path noTemplate = tmp.resolve("tok");
    Files.createDirectories(noTemplate);
    Files.copy(tokenizer().resolve("tokenizer.json"), noTemplate.resolve("tokenizer.json"));
    Map<String, Object> cfg = Json.parseObject(Files.readString(tokenizer().resolve("tokenizer_config.json")));
    cfg.remove("chat_template");
    Files.writeString(noTemplate.resolve("tokenizer_config.json"), io.sftprep.core.json.JsonWriter.compact(cfg));
    Path input = tmp.resolve("in.jsonl");
    Files.writeString(input, CHAT);
    String out = capture(() -> Preview.run(new String[] {"--tokenizer", noTemplate.toString(), "--input",
        input.toString(), "--json"}));
    Map<String, Object> first = Json.parseObject(out.lines().findFirst().orElseThrow());
    assertEquals("rejected", first.get("status"), out);
    assertEquals("template-error", first.get("reason"));
    assertEquals("the tokenizer has no chat template; give one with --chat-template FILE (config "
        + "template.chat-template)", first.get("detail"));
  }

  @Test
  void previewHighlightsTrainedTokens() throws Exception {
    Path tok = tokenizer();
    Path input = tmp.resolve("in.jsonl");
    Files.writeString(input, "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, "
        + "{\"role\": \"assistant\", \"content\": \"Hello!\"}]}\n");
    String out = capture(() -> Preview.run(new String[] {"--tokenizer", tok.toString(), "--input", input.toString(),
        "--no-color"}));
    assertTrue(out.contains("<|im_start|>assistant\n⟦<think>\n\n</think>\n\nHello!<|im_end|>⟧\n"), out);
  }

  @Test
  void inspectSummarisesTheLatestVersionAndDecodesARow() throws Exception {
    Path tok = tokenizer();
    Path input = tmp.resolve("in.jsonl");
    Files.writeString(input, "{\"messages\": [{\"role\": \"user\", \"content\": \"Capital of France?\"}, "
        + "{\"role\": \"assistant\", \"content\": \"Paris.\"}]}\n");
    Path out = tmp.resolve("out");
    org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder().master("local[1]")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
    try {
      io.sftprep.job.SftJob.run(spark, io.sftprep.job.RunOptions.of(input.toString(), out.toString(),
          tok.toString(), Map.of("pack.seq-length", "256")));
    } finally {
      spark.stop();
    }
    String text = capture(() -> Inspect.run(new String[] {out.toString(), "--no-color"}));
    assertTrue(text.contains("records 1, written 1, rejected 0"), text);
    assertTrue(text.contains("--- sample 0"), text);
    assertTrue(text.contains("⟦<think>\n\n</think>\n\nParis.<|im_end|>⟧"), text);
  }
}
