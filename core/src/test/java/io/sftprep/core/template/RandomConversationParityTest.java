package io.sftprep.core.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sftprep.core.template.ChatRenderer.GenerationPrompt;
import io.sftprep.core.testing.Fixtures;
import io.sftprep.core.testing.PythonReference;
import io.sftprep.core.testing.PythonTemplates;
import io.sftprep.core.testing.PythonTemplates.Outcome;
import io.sftprep.core.testing.RandomConversations;
import io.sftprep.core.tokenize.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four npm tokenizers' chat templates on 2,000 conversations of {@link RandomConversations}, each with and
 * without the generation prompt, rendered by the Java engine (through {@link ChatRenderer}, as the job renders) and
 * by transformers' {@code render_jinja_template} in one Python process: the same text byte for byte, or where
 * Python raises, an error of the same type with the same message.
 */
class RandomConversationParityTest {
  static final long SEED = 20240726L;
  static final int CONVERSATIONS = 2000;
  static final List<String> TEMPLATES = List.of("qwen3", "llama3", "gemma3", "deepseek_v3");
  static final String NOW = "2024-07-26T12:00:00";

  /** The npm tokenizer's template: the shared fixture, or the fetched tokenizer's own; skips when neither is here. */
  static String template(String name) throws Exception {
    Path shared = Fixtures.fixturesDir().resolve("chat_templates/templates/npm_" + name + ".jinja");
    if (Files.exists(shared)) return Files.readString(shared);
    Path tok = Fixtures.tokenizerDir(name);
    String t = Files.exists(tok.resolve("tokenizer_config.json")) ? ModelFiles.load(tok).chatTemplate() : null;
    Assumptions.assumeTrue(t != null, "skipped: no chat template for " + name + " (neither " + shared
        + " nor a fetched tokenizer at " + tok + ")");
    return t;
  }

  @Test
  void randomConversationsRenderAsTransformersRendersThem(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(PythonReference.available(), "skipped: no Python reference venv at "
        + Fixtures.cacheDir().resolve("venv") + "; make it with deploy/bin/sftprep python-env");
    Map<String, String> sources = new LinkedHashMap<>();
    for (String name : TEMPLATES) sources.put(name, template(name));
    List<PythonTemplates.Conversation> convs = RandomConversations.generate(SEED, CONVERSATIONS);
    List<PythonTemplates.Case> cases = new ArrayList<>();
    for (String name : TEMPLATES) {
      for (int i = 0; i < convs.size(); i++) {
        cases.add(new PythonTemplates.Case(name, i, false));
        cases.add(new PythonTemplates.Case(name, i, true));
      }
    }
    List<Outcome> python = PythonTemplates.render(sources, convs, cases, NOW, tmp, 1800);

    LocalDateTime now = LocalDateTime.parse(NOW);
    Map<String, ChatTemplate> compiled = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : sources.entrySet()) {
      compiled.put(e.getKey(), ChatTemplate.compile(e.getValue(), () -> now));
    }
    List<String> failures = new ArrayList<>();
    int errors = 0;
    for (int k = 0; k < cases.size(); k++) {
      PythonTemplates.Case c = cases.get(k);
      PythonTemplates.Conversation conv = convs.get(c.conversation());
      ChatRenderer renderer = new ChatRenderer(compiled.get(c.template()), stringTokens(), 
          RandomConversations.extraKeywords(conv), RenderLimits.DEFAULT);
      Outcome java = Outcome.of(() -> renderer.render(RandomConversations.chat(conv), conv.messages().size(),
          c.addGenerationPrompt() ? GenerationPrompt.ADD : GenerationPrompt.NONE));
      Outcome want = python.get(k);
      if (want.isError()) errors++;
      if (!java.equals(want)) {
        failures.add(c.template() + " / conversation " + c.conversation() + " / add_generation_prompt="
            + c.addGenerationPrompt() + ":\n   java:   " + excerpt(java, want) + "\n   python: " + excerpt(want, java));
      }
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + cases.size() + " renders differ from transformers:\n"
          + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
    }
    assertEquals(TEMPLATES.size() * CONVERSATIONS * 2, cases.size());
    assertTrue(errors > 0 && errors < cases.size() / 2, errors + " of " + cases.size() + " renders were errors");
  }

  static Map<String, String> stringTokens() {
    Map<String, String> m = new LinkedHashMap<>();
    RandomConversations.SPECIAL_TOKENS.forEach((k, v) -> m.put(k, (String) v));
    return m;
  }

  /** The outcome around the first character where it differs from {@code other}. */
  static String excerpt(Outcome o, Outcome other) {
    if (o.isError() || other.isError()) return o.toString();
    int d = ChatTemplateGoldenTest.firstDiff(o.output(), other.output());
    int from = Math.max(0, d - 40);
    return "at char " + d + ": ..." + o.output().substring(from, Math.min(o.output().length(), d + 40))
        .replace("\n", "\\n") + "...";
  }
}
