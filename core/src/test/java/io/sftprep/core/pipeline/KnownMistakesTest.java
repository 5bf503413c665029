package io.sftprep.core.pipeline;

import static io.sftprep.core.testing.Pipelines.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sftprep.core.config.PackOptions;
import io.sftprep.core.conversation.Chat;
import io.sftprep.core.conversation.Message;
import io.sftprep.core.mask.Labels;
import io.sftprep.core.pack.PackSample;
import io.sftprep.core.pack.PackedRow;
import io.sftprep.core.pack.RowPacker;
import io.sftprep.core.template.ChatRenderer;
import io.sftprep.core.template.ChatTemplate;
import io.sftprep.core.template.RenderLimits;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
import io.sftprep.core.testing.Pipelines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The mistakes other SFT preprocessors shipped, each pinned down with real tokenizers so it cannot come back:
 * a mask that starts one token late (minimind's {@code start + 1}), an EOS that is never trained because the pad
 * token is the EOS token (DeepSeek-V3's config), and a BOS written twice because the rendered text was tokenized
 * with the tokenizer's special tokens (Gemma 3's post-processor adds one; its template already wrote one).
 */
class KnownMistakesTest {
  static final int X = Labels.IGNORE;
  static final String ONE_TURN = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"},"
      + " {\"role\": \"assistant\", \"content\": \"Hello\"}]}";

  /**
   * minimind computes the reply's first label at {@code start + 1}, so the first token of every reply is never
   * trained. Here the first trained position must be exactly the token count of the generation prompt (tokenized on
   * its own, independent of the span finder), and the position before it must not be trained.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"qwen3", "llama3", "gemma3", "deepseek_v3"})
  void maskStartsOnTheFirstTokenOfTheReplyNotOneLate(String tokenizer) {
    Sample s = sample(Pipelines.of(tokenizer).process(ONE_TURN));
    ModelFiles files = Pipelines.files(tokenizer);
    ChatRenderer r = new ChatRenderer(ChatTemplate.compile(files.chatTemplate(), () -> Pipelines.NOW),
        files.specialTokens(), Map.of(), new RenderLimits(Duration.ofSeconds(5), 1 << 20, 200, 10_000_000L));
    Chat chat = Chat.of(List.of(Message.of("user", "Hi"), Message.of("assistant", "Hello")));
    String prompt = r.render(chat, 1, ChatRenderer.GenerationPrompt.ADD).text();
    int k = Pipelines.tokenizer(tokenizer).encode(prompt).ids().length;
    int first = -1;
    for (int i = 0; i < s.labels().length; i++) {
      if (s.labels()[i] != X) {
        first = i;
        break;
      }
    }
    assertEquals(k, first, "first trained position");
    assertEquals(s.inputIds()[k], s.labels()[k]);
    assertEquals(X, s.labels()[k - 1]);
  }

  @Test
  void maskStartsOnTheFirstTokenOfTheReplyLiterally() {
    // llama3: ... <|start_header_id|>assistant<|end_header_id|> "\n\n" | "Hello" <|eot_id|> | <|start_header_id|> ...
    Sample s = sample(Pipelines.of("llama3").process(ONE_TURN));
    assertArrayEquals(new int[] {128000, 128006, 882, 128007, 271, 13347, 128009, 128006, 78191, 128007, 271, 9906,
      128009, 128006, 78191, 128007, 271}, s.inputIds());
    assertArrayEquals(new int[] {X, X, X, X, X, X, X, X, X, X, X, 9906, 128009, X, X, X, X}, s.labels());
  }

  /**
   * DeepSeek-V3's config makes the pad token the EOS token ({@code <｜end▁of▁sentence｜>} = 1). A collator that masks
   * every pad id masks every EOS, and the model never learns to stop. Here the EOS that ends each reply is trained,
   * before and after packing with that same id as padding, and only the padding is masked.
   */
  @Test
  void eosIsTrainedEvenWhenPadIsEos() {
    ModelFiles files = Pipelines.files("deepseek_v3");
    assertEquals(files.specialTokens().get("eos_token"), files.specialTokens().get("pad_token"), "the premise");
    HfTokenizer tok = Pipelines.tokenizer("deepseek_v3");
    int eos = tok.tokenId(files.specialTokens().get("eos_token"));
    assertEquals(1, eos);

    Sample chat = sample(Pipelines.of("deepseek_v3").process(ONE_TURN));
    // <｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜>Hello<｜end▁of▁sentence｜>
    assertArrayEquals(new int[] {0, 128803, 23166, 128804, 19923, 1}, chat.inputIds());
    assertArrayEquals(new int[] {X, X, X, X, 19923, 1}, chat.labels());
    Sample text = sample(Pipelines.of("deepseek_v3").process("{\"text\": \"The sky is blue.\"}"));
    assertArrayEquals(new int[] {671, 12709, 344, 8295, 16, 1}, text.inputIds());
    assertArrayEquals(new int[] {671, 12709, 344, 8295, 16, 1}, text.labels());

    List<PackedRow> rows = new ArrayList<>();
    RowPacker packer = new RowPacker(new PackOptions(PackOptions.Strategy.BFD, 16, 100, 0, true, null), eos,
        rows::add);
    packer.add(PackSample.of(1L, chat.inputIds(), chat.labels(), "f", 1));
    packer.add(PackSample.of(2L, text.inputIds(), text.labels(), "f", 2));
    packer.flush();
    assertEquals(1, rows.size());
    PackedRow row = rows.get(0);
    assertEquals(16, row.inputIds().length);
    int trainedEos = 0;
    int paddedEos = 0;
    for (int i = 0; i < row.inputIds().length; i++) {
      if (row.inputIds()[i] != eos) continue;
      if (i < row.numTokens()) {
        assertEquals(eos, row.labels()[i], "EOS inside a sample at " + i);
        trainedEos++;
      } else {
        assertEquals(X, row.labels()[i], "padding at " + i);
        paddedEos++;
      }
    }
    assertEquals(2, trainedEos);
    assertEquals(4, paddedEos);
  }

  /**
   * Gemma 3's template writes {@code <bos>} and its tokenizer's post-processor prepends another when asked to add
   * special tokens; tokenizing the rendered chat that way gives {@code [2, 2, ...]}. The chat sample has exactly
   * one BOS; plain text, which has no template, gets the post-processor's one.
   */
  @Test
  void bosIsNotDoubledWhenTheTemplateWritesIt() {
    Sample chat = sample(Pipelines.of("gemma3").process(ONE_TURN));
    assertArrayEquals(new int[] {2, 105, 2364, 107, 10979, 106, 107, 105, 4368, 107, 9259, 106, 107},
        chat.inputIds());
    assertNotEquals(2, chat.inputIds()[1]);
    // the hazard is real with this tokenizer: adding special tokens to the rendered text doubles BOS
    HfTokenizer tok = Pipelines.tokenizer("gemma3");
    String rendered = "<bos><start_of_turn>user\nHi<end_of_turn>\n";
    assertArrayEquals(new int[] {2, 2}, java.util.Arrays.copyOf(tok.encode(rendered,
        HfTokenizer.SpecialTokens.ADD).ids(), 2));
    Sample text = sample(Pipelines.of("gemma3").process("{\"text\": \"The sky is blue.\"}"));
    assertArrayEquals(new int[] {2, 818, 7217, 563, 3730, 236761, 106}, text.inputIds());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"llama3", "gemma3", "deepseek_v3"})
  void templatesThatWriteBosGetExactlyOne(String tokenizer) {
    ModelFiles files = Pipelines.files(tokenizer);
    int bos = Pipelines.tokenizer(tokenizer).tokenId(files.specialTokens().get("bos_token"));
    int[] ids = sample(Pipelines.of(tokenizer).process(ONE_TURN)).inputIds();
    assertEquals(bos, ids[0]);
    int count = 0;
    for (int id : ids) if (id == bos) count++;
    assertEquals(1, count, "BOS tokens in the sample");
  }
}
