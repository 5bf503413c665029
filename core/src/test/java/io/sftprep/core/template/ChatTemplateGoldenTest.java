package io.sftprep.core.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.sftprep.core.json.Json;
import io.sftprep.core.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@code ../shared/fixtures/chat_templates/golden.jsonl}: real templates x a battery of
 * conversations x add_generation_prompt, rendered by Python (transformers 5.17 / jinja2 3.1.6). Output must be
 * byte-identical, an error must be an error of the same Python type and message, and generation spans must match.
 */
class ChatTemplateGoldenTest {
  static final LocalDateTime FROZEN = LocalDateTime.of(2024, 7, 26, 12, 0, 0);

  @Test
  @SuppressWarnings("unchecked")
  void everyGoldenCaseRendersLikePython() throws Exception {
    Path dir = Fixtures.requireFixture("chat_templates/golden.jsonl").getParent();
    Map<String, Object> conversations = Json.parseObject(Files.readString(dir.resolve("conversations.json")));
    Map<String, ChatTemplate> templates = new HashMap<>();
    List<String> failures = new ArrayList<>();
    int total = 0;
    for (String line : Files.readAllLines(dir.resolve("golden.jsonl"), StandardCharsets.UTF_8)) {
      if (line.isBlank()) continue;
      total++;
      Map<String, Object> g = Json.parseObject(line);
      String name = (String) g.get("template");
      String id = name + "/" + g.get("conversation") + "/agp=" + g.get("add_generation_prompt");
      ChatTemplate t;
      try {
        t = templates.computeIfAbsent(name, n -> {
          try {
            return ChatTemplate.compile(Files.readString(dir.resolve("templates").resolve(n + ".jinja")), () -> FROZEN);
          } catch (java.io.IOException e) {
            throw new RuntimeException(e);
          }
        });
      } catch (TemplateException e) {
        failures.add(id + ": compile failed: " + e.describe());
        continue;
      }
      Map<String, Object> conv = (Map<String, Object>) conversations.get(g.get("conversation"));
      Map<String, Object> vars = new HashMap<>((Map<String, Object>) g.get("special_tokens"));
      vars.put("messages", conv.get("messages"));
      if (conv.containsKey("tools")) vars.put("tools", conv.get("tools"));
      vars.put("documents", null);
      vars.put("add_generation_prompt", g.get("add_generation_prompt"));
      try {
        Rendered r = t.render(vars);
        if (g.containsKey("error")) {
          failures.add(id + ": expected " + g.get("error") + ": " + g.get("message") + " but rendered");
          continue;
        }
        if (!r.text().equals(g.get("output"))) {
          failures.add(id + ": output differs at char " + firstDiff(r.text(), (String) g.get("output")) + "\n"
              + excerpt(r.text(), (String) g.get("output")));
          continue;
        }
        if (g.containsKey("generation_spans")) {
          List<Object> want = (List<Object>) g.get("generation_spans");
          List<String> got = new ArrayList<>();
          for (Rendered.Span s : r.generationSpansInCodePoints()) got.add("[" + s.start() + ", " + s.end() + "]");
          List<String> exp = new ArrayList<>();
          for (Object o : want) {
            List<Object> p = (List<Object>) o;
            exp.add("[" + p.get(0) + ", " + p.get(1) + "]");
          }
          if (!got.equals(exp)) failures.add(id + ": spans " + got + " != " + exp);
        }
      } catch (TemplateException e) {
        if (!g.containsKey("error")) {
          failures.add(id + ": raised " + e.describe() + " but Python rendered");
        } else if (!(g.get("error").equals(e.pythonType()) && g.get("message").equals(e.getMessage()))) {
          failures.add(id + ": raised " + e.describe() + " but Python raised " + g.get("error") + ": "
              + g.get("message"));
        }
      }
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + total + " golden cases differ:\n" + String.join("\n", failures));
    }
    assertEquals(1620, total, "golden case count");
  }

  static int firstDiff(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) if (a.charAt(i) != b.charAt(i)) return i;
    return n;
  }

  static String excerpt(String got, String want) {
    int d = firstDiff(got, want);
    int from = Math.max(0, d - 60);
    return "   got: " + esc(got.substring(from, Math.min(got.length(), d + 60))) + "\n  want: "
        + esc(want.substring(from, Math.min(want.length(), d + 60)));
  }

  private static String esc(String s) {
    return s.replace("\n", "\\n");
  }
}
