package io.sftprep.core.template;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sftprep.core.json.Json;
import io.sftprep.core.json.JsonWriter;
import io.sftprep.core.template.ChatRenderer.GenerationPrompt;
import io.sftprep.core.testing.Fixtures;
import io.sftprep.core.testing.PythonTemplates;
import io.sftprep.core.testing.RandomConversations;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders/s of the Java engine next to Python's jinja2 as transformers sets it up, for
 * {@code deploy/bench/template-bench.sh} (a benchmark, not a test). Writes the workload (templates and
 * conversations: {@link RandomConversations} plus the golden battery) to a JSON file, starts
 * {@code deploy/bench/template_bench.py} on it once, then for each template takes turns: Java renders every
 * conversation with and without the generation prompt for the given seconds on this thread (the template compiled
 * once, warmed up first), then Python does the same while Java waits; two rounds, the better of each side kept, so
 * a neighbour's load hits both alike. Prints one JSON line per template with both rates and their ratio.
 *
 * <pre>{@code TemplateBench WORKLOAD.json SECONDS CONVERSATIONS PYTHON template_bench.py}</pre>
 */
public final class TemplateBench {
  private TemplateBench() {}

  /** The templates measured; {@code -Dbench.templates=a,b} picks others from the fixtures. */
  static final List<String> TEMPLATES = List.of(System.getProperty("bench.templates", "npm_qwen3,npm_llama3,"
      + "npm_gemma3,npm_deepseek_v3,trl_qwen3,trl_llama3_2,trl_gptoss,trl_phi3_5,trl_qwen3_8_training").split(","));
  static final String NOW = "2024-07-26T12:00:00";
  static final int ROUNDS = 2;

  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    Path casesFile = Path.of(args[0]);
    double seconds = Double.parseDouble(args[1]);
    int count = Integer.parseInt(args[2]);
    writeWorkload(casesFile, count);
    Map<String, Object> workload = Json.parseObject(Files.readString(casesFile, StandardCharsets.UTF_8));
    List<PythonTemplates.Conversation> convs = conversations(workload);
    Process py = new ProcessBuilder(args[3], args[4], casesFile.toString()).redirectError(
        ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedWriter toPy = new BufferedWriter(new OutputStreamWriter(py.getOutputStream(), UTF_8));
        BufferedReader fromPy = new BufferedReader(new InputStreamReader(py.getInputStream(), UTF_8))) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) workload.get("templates")).entrySet()) {
        double java = 0;
        double python = 0;
        for (int round = 0; round < ROUNDS; round++) {
          java = Math.max(java, rendersPerSecond((String) e.getValue(), convs, seconds));
          toPy.write(e.getKey() + " " + seconds + "\n");
          toPy.flush();
          String line = fromPy.readLine();
          if (line == null) throw new IllegalStateException("template_bench.py exited");
          python = Math.max(python, ((Number) Json.parseObject(line).get("renders_per_s")).doubleValue());
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("template", e.getKey());
        row.put("conversations", convs.size());
        row.put("java_renders_per_s", Math.round(java));
        row.put("python_renders_per_s", Math.round(python));
        row.put("java_over_python", Math.round(java / python * 100) / 100.0);
        System.out.println(JsonWriter.compact(row));
      }
    } finally {
      py.destroy();
    }
  }

  /** The templates that are here, and the conversations as both sides will read them. */
  @SuppressWarnings("unchecked")
  static void writeWorkload(Path file, int count) throws Exception {
    Path dir = Fixtures.fixturesDir().resolve("chat_templates");
    Map<String, Object> templates = new LinkedHashMap<>();
    for (String name : TEMPLATES) {
      Path t = dir.resolve("templates").resolve(name + ".jinja");
      if (Files.exists(t)) templates.put(name, Files.readString(t));
    }
    if (templates.isEmpty()) throw new IllegalStateException("no chat templates under " + dir);
    List<Object> convs = new ArrayList<>();
    for (PythonTemplates.Conversation c : RandomConversations.generate(7, count)) convs.add(asMap(c));
    Path battery = dir.resolve("conversations.json");
    if (Files.exists(battery)) {
      for (Object o : Json.parseObject(Files.readString(battery)).values()) {
        Map<String, Object> c = (Map<String, Object>) o;
        convs.add(asMap(new PythonTemplates.Conversation((List<Object>) c.get("messages"),
            (List<Object>) c.get("tools"), RandomConversations.SPECIAL_TOKENS)));
      }
    }
    Map<String, Object> workload = new LinkedHashMap<>();
    workload.put("now", NOW);
    workload.put("templates", templates);
    workload.put("conversations", convs);
    Files.writeString(file, JsonWriter.compact(workload), StandardCharsets.UTF_8);
  }

  private static Map<String, Object> asMap(PythonTemplates.Conversation c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("messages", c.messages());
    m.put("tools", c.tools());
    m.put("kwargs", c.kwargs());
    return m;
  }

  @SuppressWarnings("unchecked")
  static List<PythonTemplates.Conversation> conversations(Map<String, Object> workload) {
    List<PythonTemplates.Conversation> out = new ArrayList<>();
    for (Object o : (List<Object>) workload.get("conversations")) {
      Map<String, Object> m = (Map<String, Object>) o;
      out.add(new PythonTemplates.Conversation((List<Object>) m.get("messages"), (List<Object>) m.get("tools"),
          (Map<String, Object>) m.get("kwargs")));
    }
    return out;
  }

  /** Renders every conversation, with and without the generation prompt, over and over for {@code seconds}. */
  static double rendersPerSecond(String source, List<PythonTemplates.Conversation> convs, double seconds) {
    LocalDateTime now = LocalDateTime.parse(NOW);
    ChatTemplate t = ChatTemplate.compile(source, () -> now);
    Map<String, String> special = new LinkedHashMap<>();
    RandomConversations.SPECIAL_TOKENS.forEach((k, v) -> special.put(k, (String) v));
    List<ChatRenderer> renderers = new ArrayList<>();
    List<io.sftprep.core.conversation.Chat> chats = new ArrayList<>();
    for (PythonTemplates.Conversation c : convs) {
      renderers.add(new ChatRenderer(t, special, RandomConversations.extraKeywords(c), RenderLimits.DEFAULT));
      chats.add(RandomConversations.chat(c));
    }
    pass(renderers, chats, seconds / 2); // warm-up
    long renders = 0;
    long t0 = System.nanoTime();
    long end = t0 + (long) (seconds * 1e9);
    long sink = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < chats.size(); i++) {
        sink += render(renderers.get(i), chats.get(i), GenerationPrompt.NONE);
        sink += render(renderers.get(i), chats.get(i), GenerationPrompt.ADD);
        renders += 2;
      }
    }
    double rate = renders / ((System.nanoTime() - t0) / 1e9);
    if (sink == 42) System.err.println(); // keeps the renders from being optimised away
    return rate;
  }

  private static void pass(List<ChatRenderer> renderers, List<io.sftprep.core.conversation.Chat> chats,
      double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      for (int i = 0; i < chats.size(); i++) {
        render(renderers.get(i), chats.get(i), GenerationPrompt.NONE);
        render(renderers.get(i), chats.get(i), GenerationPrompt.ADD);
      }
    }
  }

  private static int render(ChatRenderer r, io.sftprep.core.conversation.Chat chat, GenerationPrompt p) {
    try {
      return r.render(chat, chat.messages().size(), p).text().length();
    } catch (TemplateException e) {
      return -1;
    }
  }
}
