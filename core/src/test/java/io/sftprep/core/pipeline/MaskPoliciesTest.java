package io.sftprep.core.pipeline;

import static io.sftprep.core.testing.Pipelines.rejection;
import static io.sftprep.core.testing.Pipelines.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.mask.Labels;
import io.sftprep.core.testing.Pipelines;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Literal tables per masking policy with real tokenizers (ids and labels checked against transformers 5.17 and the
 * reference's span rule when written): which tokens each policy trains on the same conversation, per-message flags,
 * the end-of-turn settings, special-token text in content, Qwen3's rewriting of earlier turns, and TRL's training
 * templates with {@code {% generation %}}.
 */
class MaskPoliciesTest {
  static final int X = Labels.IGNORE;

  /** user "Hi", assistant "Hello", user "Bye", assistant "Ciao". */
  static final String C2 = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"},"
      + " {\"role\": \"assistant\", \"content\": \"Hello\"}, {\"role\": \"user\", \"content\": \"Bye\"},"
      + " {\"role\": \"assistant\", \"content\": \"Ciao\"}]}";

  /**
   * Qwen3 renders C2 as {@code <|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>\n
   * <|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nCiao<|im_end|>\n}: only the
   * final turn gets the (empty) think block.
   */
  static final int[] C2_QWEN3 = {151644, 872, 198, 13048, 151645, 198, 151644, 77091, 198, 9707, 151645, 198, 151644,
    872, 198, 1359, 68, 151645, 198, 151644, 77091, 198, 151667, 271, 151668, 271, 34, 22516, 151645, 198};

  static Sample qwen3(String line, String... settings) {
    return sample(Pipelines.of("qwen3", settings).process(line));
  }

  static void assertSample(int[] ids, int[] labels, Sample s) {
    assertArrayEquals(ids, s.inputIds(), "input_ids");
    assertArrayEquals(labels, s.labels(), "labels");
  }

  @Test
  void assistantTrainsEachReplyAndItsEndOfTurnTokenOnly() {
    assertSample(C2_QWEN3, new int[] {X, X, X, X, X, X, X, X, X, 9707, 151645, X, X, X, X, X, X, X, X, X, X, X,
      151667, 271, 151668, 271, 34, 22516, 151645, X}, qwen3(C2));
  }

  @Test
  void allTrainsEveryToken() {
    assertSample(C2_QWEN3, C2_QWEN3, qwen3(C2, "mask.policy=all"));
  }

  @Test
  void lastAssistantTrainsOnlyTheFinalReply() {
    assertSample(C2_QWEN3, new int[] {X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, 151667, 271,
      151668, 271, 34, 22516, 151645, X}, qwen3(C2, "mask.policy=last-assistant"));
  }

  @Test
  void trainEotFalseLeavesEachEndOfTurnTokenUntrained() {
    assertSample(C2_QWEN3, new int[] {X, X, X, X, X, X, X, X, X, 9707, X, X, X, X, X, X, X, X, X, X, X, X, 151667,
      271, 151668, 271, 34, 22516, X, X}, qwen3(C2, "mask.train-eot=false"));
  }

  @Test
  void rolesTrainsWholeTurnsOfTheListedRoles() {
    // gemma3: <bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\nHello<end_of_turn>\n...; a non-assistant
    // message spans from the end of the rendering before it to the end of the rendering through it
    Sample s = sample(Pipelines.of("gemma3", "mask.policy=roles", "mask.roles=user").process(C2));
    assertSample(new int[] {2, 105, 2364, 107, 10979, 106, 107, 105, 4368, 107, 9259, 106, 107, 105, 2364, 107,
      98874, 106, 107, 105, 4368, 107, 150917, 106, 107},
        new int[] {2, 105, 2364, 107, 10979, 106, 107, X, X, X, X, X, X, 105, 2364, 107, 98874, 106, 107, X, X, X, X,
          X, X}, s);
  }

  @Test
  void rolesStartsTheFirstMessageAtTheBeginningOfTheText() {
    // regression: message 0 used to be rejected (template-rewrites-history) because Qwen3's template cannot render
    // an empty message list; nothing comes before message 0
    Sample s = qwen3("{\"messages\": [{\"role\": \"system\", \"content\": \"S\"}, {\"role\": \"user\", \"content\": \"Hi\"},"
        + " {\"role\": \"assistant\", \"content\": \"Hello\"}]}", "mask.policy=roles", "mask.roles=system,assistant");
    assertSample(new int[] {151644, 8948, 198, 50, 151645, 198, 151644, 872, 198, 13048, 151645, 198, 151644, 77091,
      198, 151667, 271, 151668, 271, 9707, 151645, 198},
        new int[] {151644, 8948, 198, 50, 151645, 198, X, X, X, X, X, X, X, X, X, 151667, 271, 151668, 271, 9707,
          151645, X}, s);
  }

  @Test
  void rolesWithUserTurnsAfterAnAssistantTurnIsRejectedOnQwen3() {
    // the rendering of [user, assistant] gives that assistant turn an empty think block which the full rendering
    // does not have, so where the next user turn starts cannot be read off a prefix
    Rejection j = rejection(Pipelines.of("qwen3", "mask.policy=roles", "mask.roles=user").process(C2));
    assertEquals(Reason.TEMPLATE_REWRITES_HISTORY, j.reason());
    assertTrue(j.detail().startsWith("message 2 (user)"), j.detail());
  }

  @Test
  void perMessageFlagsOverrideThePolicy() {
    String line = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\", \"train\": true},"
        + " {\"role\": \"assistant\", \"content\": \"Hello\", \"loss_weight\": 0}, {\"role\": \"user\", \"content\": \"Bye\"},"
        + " {\"role\": \"assistant\", \"content\": \"Ciao\", \"weight\": 1.0}]}";
    assertSample(C2_QWEN3, new int[] {151644, 872, 198, 13048, 151645, 198, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
      X, X, 151667, 271, 151668, 271, 34, 22516, 151645, X}, qwen3(line));
    // a flag of 0 on the only trained turn leaves nothing to train
    Rejection j = rejection(Pipelines.of("qwen3", "mask.policy=last-assistant").process(line
        .replace("\"weight\": 1.0", "\"weight\": 0").replace(", \"train\": true", "")));
    assertEquals(Reason.NO_ASSISTANT_TURN, j.reason());
    assertEquals("policy last-assistant selects no message of this record (roles: user, assistant, user, assistant)",
        j.detail());
  }

  @Test
  void completionTrainsOnlyTheCompletionMessages() {
    String line = "{\"prompt\": [{\"role\": \"user\", \"content\": \"Hi\"}],"
        + " \"completion\": [{\"role\": \"assistant\", \"content\": \"Hello\"}]}";
    assertSample(new int[] {151644, 872, 198, 13048, 151645, 198, 151644, 77091, 198, 151667, 271, 151668, 271, 9707,
      151645, 198}, new int[] {X, X, X, X, X, X, X, X, X, 151667, 271, 151668, 271, 9707, 151645, X},
        qwen3(line, "mask.policy=completion"));
  }

  @Test
  void plainPromptCompletionTrainsTheCompletionAndEos() {
    String line = "{\"prompt\": \"The sky is\", \"completion\": \" blue.\"}";
    // qwen3 adds no BOS; EOS is <|im_end|>
    assertSample(new int[] {785, 12884, 374, 6303, 13, 151645}, new int[] {X, X, X, 6303, 13, 151645},
        qwen3(line, "mask.policy=completion"));
    assertSample(new int[] {785, 12884, 374, 6303, 13, 151645}, new int[] {X, X, X, 6303, 13, 151645}, qwen3(line));
    assertSample(new int[] {785, 12884, 374, 6303, 13, 151645}, new int[] {785, 12884, 374, 6303, 13, 151645},
        qwen3(line, "mask.policy=all"));
    // gemma3's post-processor adds <bos>; EOS is <end_of_turn>
    assertSample(new int[] {2, 818, 7217, 563, 3730, 236761, 106}, new int[] {X, X, X, X, 3730, 236761, 106},
        sample(Pipelines.of("gemma3").process(line)));
  }

  @Test
  void eotTokensOverrideEndsTheTurnWhereTheTemplateSaysSo() {
    // a template without special tokens: detection falls back to EOS, which it never writes, so a turn runs to the
    // end of its own rendering (" END\n\n"); mask.eot-tokens=" END" stops it after " END"
    String template = "{% for m in messages %}{{ m.role }}: {{ m.content }} END\n\n{% endfor %}"
        + "{% if add_generation_prompt %}assistant: {% endif %}";
    int[] ids = {872, 25, 21018, 11176, 271, 77091, 25, 21927, 11176, 271, 872, 25, 89325, 11176, 271, 77091, 25, 356,
      22516, 11176, 271};
    Preprocessor detected = Pipelines.withTemplate("qwen3", template);
    assertEquals(List.of("<|im_end|>"), detected.endOfTurn());
    assertSample(ids, new int[] {X, X, X, X, X, X, X, 21927, 11176, 271, X, X, X, X, X, X, X, 356, 22516, 11176, 271},
        sample(detected.process(C2)));
    Preprocessor overridden = Pipelines.withTemplate("qwen3", template, "mask.eot-tokens=END");
    assertEquals(List.of("END"), overridden.endOfTurn());
    assertSample(ids, new int[] {X, X, X, X, X, X, X, 21927, 11176, X, X, X, X, X, X, X, X, 356, 22516, 11176, X},
        sample(overridden.process(C2)));
  }

  @Test
  void specialTokenTextInContentIsKeptAndCountedOrRejected() {
    String line = "{\"messages\": [{\"role\": \"user\", \"content\": \"Say <|im_end|> please\"},"
        + " {\"role\": \"assistant\", \"content\": \"OK\"}]}";
    RecordResult kept = Pipelines.of("qwen3").process(line);
    // as transformers: the literal text becomes the special token (151645 inside the user turn)
    assertSample(new int[] {151644, 872, 198, 45764, 220, 151645, 4486, 151645, 198, 151644, 77091, 198, 151667, 271,
      151668, 271, 3925, 151645, 198}, new int[] {X, X, X, X, X, X, X, X, X, X, X, X, 151667, 271, 151668, 271, 3925,
        151645, X}, sample(kept));
    assertEquals(1, kept.specialTextHits());
    Rejection j = rejection(Pipelines.of("qwen3", "content.special-tokens=reject").process(line));
    assertEquals(Reason.SPECIAL_TOKEN_IN_CONTENT, j.reason());
    assertEquals("message content holds the literal text of a special token 1 time(s)", j.detail());
  }

  @Test
  void endOfTurnTextInsideAReplyDoesNotEndTheTurnEarly() {
    // the reply's own "<|im_end|>" is located inside the content, so the turn ends at the template's one
    Sample s = qwen3("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"},"
        + " {\"role\": \"assistant\", \"content\": \"A<|im_end|>B\"}]}");
    int[] ids = s.inputIds();
    int[] labels = s.labels();
    // ... <think>\n\n</think>\n\n A <|im_end|> B <|im_end|> \n
    assertEquals(151645, ids[ids.length - 2]);
    assertEquals(151645, labels[labels.length - 2], "the template's end-of-turn token is trained");
    assertEquals(X, labels[labels.length - 1]);
    int trained = 0;
    for (int l : labels) if (l != X) trained++;
    assertEquals(8, trained, "think block (4) + A + <|im_end|> + B + <|im_end|>");
  }

  // ------------------------------------------------------------------ Qwen3 reasoning and rewritten history

  @Test
  void qwen3DropsEarlierReasoningAndTheMaskFollowsTheFullRendering() {
    String line = "{\"messages\": [{\"role\": \"user\", \"content\": \"2+2?\"},"
        + " {\"role\": \"assistant\", \"content\": \"4\", \"reasoning_content\": \"Add.\"},"
        + " {\"role\": \"user\", \"content\": \"3+3?\"},"
        + " {\"role\": \"assistant\", \"content\": \"6\", \"reasoning_content\": \"Add again.\"}]}";
    // <|im_start|>assistant\n4<|im_end|>  (reasoning "Add." dropped) ... <|im_start|>assistant\n<think>\nAdd again.\n</think>\n\n6<|im_end|>
    assertSample(new int[] {151644, 872, 198, 17, 10, 17, 30, 151645, 198, 151644, 77091, 198, 19, 151645, 198, 151644,
      872, 198, 18, 10, 18, 30, 151645, 198, 151644, 77091, 198, 151667, 198, 2212, 1549, 624, 151668, 271, 21, 151645,
      198}, new int[] {X, X, X, X, X, X, X, X, X, X, X, X, 19, 151645, X, X, X, X, X, X, X, X, X, X, X, X, X, 151667,
        198, 2212, 1549, 624, 151668, 271, 21, 151645, X}, qwen3(line));
  }

  /** Two assistant turns in a row: Qwen3 gives the first one an empty think block when it ends a rendering. */
  static final String REWRITES = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"},"
      + " {\"role\": \"assistant\", \"content\": \"One\"}, {\"role\": \"assistant\", \"content\": \"Two\"},"
      + " {\"role\": \"user\", \"content\": \"Bye\"}, {\"role\": \"assistant\", \"content\": \"Ciao\"}]}";

  @Test
  void templateThatRewritesAnEarlierTurnIsRejected() {
    Rejection j = rejection(Pipelines.of("qwen3").process(REWRITES));
    assertEquals(Reason.TEMPLATE_REWRITES_HISTORY, j.reason());
    assertEquals("message 2 (assistant): the rendering of the messages before it plus the generation prompt is not "
        + "a prefix of the full rendering (first difference at char 52)", j.detail());
  }

  @Test
  void lastAssistantNeedsOnlyTheLastTurnsPrefix() {
    assertSample(new int[] {151644, 872, 198, 13048, 151645, 198, 151644, 77091, 198, 3966, 151645, 198, 151644, 77091,
      198, 11613, 151645, 198, 151644, 872, 198, 1359, 68, 151645, 198, 151644, 77091, 198, 151667, 271, 151668, 271,
      34, 22516, 151645, 198}, new int[] {X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
        X, X, 151667, 271, 151668, 271, 34, 22516, 151645, X}, qwen3(REWRITES, "mask.policy=last-assistant"));
    // all needs no prefix at all
    assertEquals(36, Labels.countTrained(qwen3(REWRITES, "mask.policy=all").labels()));
  }

  // ------------------------------------------------------------------ generation blocks (TRL training templates)

  static final int[] C2_QWEN3_TRAINING = {151644, 872, 198, 13048, 151645, 198, 151644, 77091, 198, 151667, 271,
    151668, 271, 9707, 151645, 198, 151644, 872, 198, 1359, 68, 151645, 198, 151644, 77091, 198, 151667, 271, 151668,
    271, 34, 22516, 151645, 198};

  @Test
  void generationBlocksAreTheMaskAsReturnAssistantTokensMask() {
    // TRL's block ends after "<|im_end|>\n", so the newline is trained too, as transformers marks it
    assertSample(C2_QWEN3_TRAINING, new int[] {X, X, X, X, X, X, X, X, X, 151667, 271, 151668, 271, 9707, 151645, 198,
      X, X, X, X, X, X, X, X, X, X, 151667, 271, 151668, 271, 34, 22516, 151645, 198},
        sample(Pipelines.withTrlTemplate("qwen3", "qwen3_training").process(C2)));
  }

  @Test
  void trainEotFalseIsHonouredWithGenerationBlocks() {
    // regression: the blocks hold <|im_end|>, which used to be trained whatever mask.train-eot said
    assertSample(C2_QWEN3_TRAINING, new int[] {X, X, X, X, X, X, X, X, X, 151667, 271, 151668, 271, 9707, X, X, X, X,
      X, X, X, X, X, X, X, X, 151667, 271, 151668, 271, 34, 22516, X, X},
        sample(Pipelines.withTrlTemplate("qwen3", "qwen3_training", "mask.train-eot=false").process(C2)));
  }

  @Test
  void flagsThatSelectTheAssistantTurnsKeepTheGenerationBlocks() {
    // regression: LLaMA-Factory's v1 data flags every message; DeepSeek's training template prompts with
    // "<｜Assistant｜><think>\n", which is not in the rendering, so the span rule rejected every such record
    String v1 = "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"value\": \"Hi\"}],"
        + " \"loss_weight\": 0.0}, {\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"value\": \"Hello\"}],"
        + " \"loss_weight\": 1.0}]}";
    Preprocessor p = Pipelines.withTrlTemplate("deepseek_v3", "deepseekv3_training");
    assertSample(new int[] {0, 128803, 23166, 128804, 19923, 1}, new int[] {X, X, X, 128804, 19923, 1},
        sample(p.process(v1)));
    // a flag that changes the selection needs the span rule, and that rule cannot place this template's turns
    Rejection j = rejection(p.process(v1.replace("\"loss_weight\": 0.0", "\"loss_weight\": 1.0")));
    assertEquals(Reason.TEMPLATE_REWRITES_HISTORY, j.reason());
    // mask.source=generation says so instead of guessing
    Rejection g = rejection(Pipelines.withTrlTemplate("deepseek_v3", "deepseekv3_training", "mask.source=generation")
        .process(v1.replace("\"loss_weight\": 0.0", "\"loss_weight\": 1.0")));
    assertEquals(Reason.MASK_FLAGS_UNSUPPORTED, g.reason());
    assertTrue(g.detail().startsWith("per-message training flags select messages [0, 1]"), g.detail());
  }

  @Test
  void generationSourceRejectsSettingsItCannotHonour() {
    IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> SftConfig.fromMap(
        Map.of("mask.source", "generation", "mask.policy", "last-assistant")));
    assertTrue(a.getMessage().contains("only goes with mask.policy=assistant, got last-assistant"), a.getMessage());
    IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> SftConfig.fromMap(
        Map.of("mask.source", "generation", "mask.train-eot", "false")));
    assertTrue(b.getMessage().contains("cannot apply mask.train-eot=false"), b.getMessage());
  }
}
