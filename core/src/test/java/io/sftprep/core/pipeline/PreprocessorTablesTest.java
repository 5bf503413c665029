package io.sftprep.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.testing.Fixtures;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/**
 * Literal tables: for each of the four npm tokenizers and its own chat template, one system prompt and two
 * user/assistant turns give exactly these ids and labels (checked against transformers 5.17 when they were
 * written). Each assistant turn is trained from the end of its generation prompt through its end-of-turn token;
 * Qwen3's final turn includes the empty think block its template writes; Llama-3's trailing assistant header is
 * not trained.
 */
class PreprocessorTablesTest {
  static final String RECORD = "{\"messages\": [{\"role\": \"system\", \"content\": \"You are a helpful assistant.\"}, "
      + "{\"role\": \"user\", \"content\": \"What is 2+2?\"}, {\"role\": \"assistant\", \"content\": \"2+2 equals 4.\"}, "
      + "{\"role\": \"user\", \"content\": \"And 3+3?\"}, {\"role\": \"assistant\", \"content\": \"3+3 equals 6.\"}]}";

  static RecordResult run(String tokenizer, String line) throws Exception {
    Path dir = Fixtures.requireTokenizer(tokenizer);
    ModelFiles files = ModelFiles.load(dir);
    try (HfTokenizer tok = HfTokenizer.open(dir)) {
      Preprocessor p = new Preprocessor(SftConfig.defaultConfig(), files, tok, files.chatTemplate(),
          LocalDateTime.of(2026, 1, 1, 0, 0));
      return p.process(line);
    }
  }

  static void assertTable(String tokenizer, int[] ids, int[] labels) throws Exception {
    RecordResult r = run(tokenizer, RECORD);
    assertEquals(0, r.rejections().size(), () -> "rejected: " + r.rejections());
    Sample s = r.samples().get(0);
    assertArrayEquals(ids, s.inputIds(), "input_ids");
    assertArrayEquals(labels, s.labels(), "labels");
  }

  @Test
  void systemAndTwoTurnsQwen3() throws Exception {
    assertTable("qwen3",
        new int[] {151644, 8948, 198, 2610, 525, 264, 10950, 17847, 13, 151645, 198, 151644, 872, 198, 3838, 374, 220,
          17, 10, 17, 30, 151645, 198, 151644, 77091, 198, 17, 10, 17, 16819, 220, 19, 13, 151645, 198,
          151644, 872, 198, 3036, 220, 18, 10, 18, 30, 151645, 198, 151644, 77091, 198, 151667, 271, 151668,
          271, 18, 10, 18, 16819, 220, 21, 13, 151645, 198},
        new int[] {-100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100,
          -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, 17, 10, 17, 16819, 220, 19, 13, 151645,
          -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, 151667,
          271, 151668, 271, 18, 10, 18, 16819, 220, 21, 13, 151645, -100});
  }

  @Test
  void systemAndTwoTurnsLlama3() throws Exception {
    assertTable("llama3",
        new int[] {128000, 128006, 9125, 128007, 271, 2675, 527, 264, 11190, 18328, 13, 128009, 128006, 882, 128007,
          271, 3923, 374, 220, 17, 10, 17, 30, 128009, 128006, 78191, 128007, 271, 17, 10, 17, 17239, 220,
          19, 13, 128009, 128006, 882, 128007, 271, 3112, 220, 18, 10, 18, 30, 128009, 128006, 78191, 128007,
          271, 18, 10, 18, 17239, 220, 21, 13, 128009, 128006, 78191, 128007, 271},
        new int[] {-100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100,
          -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, 17, 10, 17, 17239, 220, 19,
          13, 128009, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100,
          -100, 18, 10, 18, 17239, 220, 21, 13, 128009, -100, -100, -100, -100});
  }

  @Test
  void systemAndTwoTurnsGemma3() throws Exception {
    assertTable("gemma3",
        new int[] {2, 105, 2364, 107, 3048, 659, 496, 11045, 16326, 236761, 108, 3689, 563, 236743, 236778, 236862,
          236778, 236881, 106, 107, 105, 4368, 107, 236778, 236862, 236778, 14339, 236743, 236812, 236761,
          106, 107, 105, 2364, 107, 3133, 236743, 236800, 236862, 236800, 236881, 106, 107, 105, 4368, 107,
          236800, 236862, 236800, 14339, 236743, 236825, 236761, 106, 107},
        new int[] {-100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100,
          -100, -100, -100, -100, -100, -100, -100, 236778, 236862, 236778, 14339, 236743, 236812, 236761,
          106, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100,
          236800, 236862, 236800, 14339, 236743, 236825, 236761, 106, -100});
  }

  @Test
  void systemAndTwoTurnsDeepseekV3() throws Exception {
    // ids as tokenizer.json defines them (byte-level BPE); transformers 5's AutoTokenizer loads this config as its
    // LlamaTokenizer class and re-tokenizes with Metaspace, which is not how the model was trained
    assertTable("deepseek_v3",
        new int[] {0, 3476, 477, 260, 11502, 22896, 16, 128803, 3085, 344, 223, 20, 13, 20, 33, 128804, 20, 13, 20,
          9615, 223, 22, 16, 1, 128803, 4195, 223, 21, 13, 21, 33, 128804, 21, 13, 21, 9615, 223, 24, 16, 1},
        new int[] {-100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, 20,
          13, 20, 9615, 223, 22, 16, 1, -100, -100, -100, -100, -100, -100, -100, -100, 21, 13, 21, 9615,
          223, 24, 16, 1});
  }
}
