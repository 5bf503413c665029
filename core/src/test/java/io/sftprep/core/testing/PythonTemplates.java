package io.sftprep.core.testing;

import io.sftprep.core.json.JsonWriter;
import io.sftprep.core.template.Rendered;
import io.sftprep.core.template.TemplateException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Renders chat templates with transformers' own {@code render_jinja_template} in one Python process
 * ({@code core/src/test/python/render_chat_templates.py}), for tests that hold the Java engine to it. Skips the
 * calling test when the reference venv is missing.
 */
public final class PythonTemplates {
  private PythonTemplates() {}

  /** The variables of one render: messages, tools (null: none) and the other keywords (special tokens, ...). */
  public record Conversation(List<Object> messages, List<Object> tools, Map<String, Object> kwargs) {}

  /** Template name, index into the conversations, add_generation_prompt. */
  public record Case(String template, int conversation, boolean addGenerationPrompt) {}

  /** What a render gave: the text, or the Python error type and message. */
  public record Outcome(String output, String errorType, String message) {
    public static Outcome text(String output) {
      return new Outcome(output, null, null);
    }

    public static Outcome error(String type, String message) {
      return new Outcome(null, type, message);
    }

    /** The Java engine's outcome: its text, or the Python type and message of its {@link TemplateException}. */
    public static Outcome of(Supplier<Rendered> render) {
      try {
        return text(render.get().text());
      } catch (TemplateException e) {
        return error(e.pythonType(), e.getMessage());
      }
    }

    public boolean isError() {
      return errorType != null;
    }

    @Override
    public String toString() {
      return isError() ? errorType + ": " + message : "output " + JsonWriter.compact(output);
    }
  }

  /** Python's outcome for each case, in order; {@code now} is what {@code strftime_now} sees. */
  public static List<Outcome> render(Map<String, String> templates, List<Conversation> conversations,
      List<Case> cases, String now, Path workDir, long timeoutSeconds) throws Exception {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("now", now);
    job.put("templates", templates);
    List<Object> convs = new ArrayList<>();
    for (Conversation c : conversations) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("messages", c.messages());
      m.put("tools", c.tools());
      m.put("kwargs", c.kwargs());
      convs.add(m);
    }
    job.put("conversations", convs);
    List<Object> rows = new ArrayList<>();
    for (Case c : cases) rows.add(List.of(c.template(), c.conversation(), c.addGenerationPrompt()));
    job.put("cases", rows);
    Path in = workDir.resolve("templates-in.json");
    Path out = workDir.resolve("templates-out.jsonl");
    Files.writeString(in, JsonWriter.compact(job), StandardCharsets.UTF_8);
    PythonReference.run(List.of(PythonReference.script("render_chat_templates.py").toString(), "--input",
        in.toString(), "--output", out.toString()), timeoutSeconds);
    List<Outcome> outcomes = new ArrayList<>();
    for (Map<String, Object> r : PythonReference.readRows(out)) {
      outcomes.add(r.containsKey("error") ? Outcome.error((String) r.get("error"), (String) r.get("message"))
          : Outcome.text((String) r.get("output")));
    }
    if (outcomes.size() != cases.size()) {
      throw new AssertionError("python rendered " + outcomes.size() + " of " + cases.size() + " cases");
    }
    return outcomes;
  }
}
