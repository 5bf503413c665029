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
    ModelFiles files = ModelFiles.load(dir);
    try (HfTokenizer tok = HfTokenizer.open(dir)) {
      Preprocessor p = new Preprocessor(SftConfig.defaultConfig(), files, tok, files.chatTemplate(),
          LocalDateTime.of(2026, 1, 1, 0, 0));
      return p.render(Json.parseObject(json));
    }
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
