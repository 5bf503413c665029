package io.sftprep.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.format.Format;
import io.sftprep.core.json.Json;
import io.sftprep.core.testing.Fixtures;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Preprocessor#render}: the text the full path tokenizes, as literal strings (Qwen3's own template), and
 * the same reasons as the full path for what cannot be rendered.
 */
class RenderTest {
  static RenderedRecord render(String json) throws Exception {
    Path dir = Fixtures.requireTokenizer("qwen3");
    return render(json, ModelFiles.load(dir).chatTemplate(), SftConfig.defaultConfig());
  }

  /** With the given template text (null: none) instead of the tokenizer's. */
  static RenderedRecord render(String json, String template, SftConfig config) throws Exception {
    Path dir = Fixtures.requireTokenizer("qwen3");
    ModelFiles files = ModelFiles.load(dir);
    try (HfTokenizer tok = HfTokenizer.open(dir)) {
      Preprocessor p = new Preprocessor(config, files, tok, template, LocalDateTime.of(2026, 1, 1, 0, 0));
      return p.render(Json.parseObject(json));
    }
  }

  static final String CHAT = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, "
      + "{\"role\": \"assistant\", \"content\": \"Hello!\"}]}";

  @Test
  void aGivenTemplateReplacesTheTokenizers() throws Exception {
    RenderedRecord r = render(CHAT, "{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}",
        SftConfig.defaultConfig());
    assertEquals(List.of(new RenderedRecord.Part(0, "[user] Hi\n[assistant] Hello!\n")), r.parts());
    // the file comes from --chat-template FILE or this key; spark-job reads it (any Hadoop file system)
    assertEquals("/models/t.jinja", SftConfig.fromMap(Map.of(SftConfig.CHAT_TEMPLATE, "/models/t.jinja"))
        .chatTemplateFile());
    assertEquals(null, SftConfig.defaultConfig().chatTemplateFile());
  }

  @Test
  void withoutAnyTemplateAChatIsRejectedNamingTheOption() throws Exception {
    RenderedRecord r = render(CHAT, null, SftConfig.defaultConfig());
    assertEquals(List.of(), r.parts());
    Rejection rej = r.rejections().get(0);
    assertEquals(Reason.TEMPLATE_ERROR, rej.reason());
    assertEquals("the tokenizer has no chat template; give one with --chat-template FILE (config "
        + "template.chat-template)", rej.detail());
    Path dir = Fixtures.requireTokenizer("qwen3");
    try (HfTokenizer tok = HfTokenizer.open(dir)) {
      Preprocessor p = new Preprocessor(SftConfig.defaultConfig(), ModelFiles.load(dir), tok, null,
          LocalDateTime.of(2026, 1, 1, 0, 0));
      RecordResult full = p.process(Json.parseObject(CHAT));
      assertEquals(List.of(), full.samples());
      assertEquals(rej.detail(), full.rejections().get(0).detail());
      assertEquals(1, p.process(Json.parseObject("{\"text\": \"plain text needs no template\"}")).samples().size());
    }
  }

  @Test
  void theConfigsRenderLimitsApply() throws Exception {
    SftConfig tight = SftConfig.fromMap(Map.of(SftConfig.MAX_RENDER_CHARS, "20"));
    RenderedRecord r = render(CHAT, "{{ messages|tojson }}", tight);
    assertEquals(Reason.TEMPLATE_ERROR, r.rejections().get(0).reason());
    assertEquals("SecurityError: render stopped: a value or the output would grow past 20 characters (limit "
        + "template.max-output-chars)", r.rejections().get(0).detail());
  }

  @Test
  void chatIsTheTemplatesFullRendering() throws Exception {
    RenderedRecord r = render("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, "
        + "{\"role\": \"assistant\", \"content\": \"Hello!\"}]}");
    assertEquals(Format.OPENAI_MESSAGES, r.format());
    assertEquals(List.of(), r.rejections());
    assertEquals(List.of(new RenderedRecord.Part(0, "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
        + "<think>\n\n</think>\n\nHello!<|im_end|>\n")), r.parts());
  }

  @Test
  void plainTextIsPromptThenCompletion() throws Exception {
    RenderedRecord r = render("{\"prompt\": \"2+2=\", \"completion\": \"4\"}");
    assertEquals(List.of(new RenderedRecord.Part(0, "2+2=4")), r.parts());
  }

  @Test
  void unknownLayoutIsRejectedWithItsReason() throws Exception {
    RenderedRecord r = render("{\"question\": \"?\"}");
    assertEquals(List.of(), r.parts());
    assertEquals(Reason.UNKNOWN_FORMAT, r.rejections().get(0).reason());
  }

  @Test
  void renderedTextIsWhatTheFullPathTokenizes() throws Exception {
    String line = "{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, "
        + "{\"role\": \"user\", \"content\": \"2+2?\"}, {\"role\": \"assistant\", \"content\": \"4\"}]}";
    Path dir = Fixtures.requireTokenizer("qwen3");
    ModelFiles files = ModelFiles.load(dir);
    try (HfTokenizer tok = HfTokenizer.open(dir)) {
      Preprocessor p = new Preprocessor(SftConfig.defaultConfig(), files, tok, files.chatTemplate(),
          LocalDateTime.of(2026, 1, 1, 0, 0));
      Map<String, Object> record = Json.parseObject(line);
      assertEquals(tok.decode(p.process(record).samples().get(0).inputIds()), p.render(record).parts().get(0).text());
    }
  }
}
