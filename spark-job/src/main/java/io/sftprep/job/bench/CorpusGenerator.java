package io.sftprep.job.bench;

import io.sftprep.core.json.JsonWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded corpus of OpenAI {@code messages} JSONL for the benchmark: English, Chinese and mixed conversations of
 * 1 to 8 user turns, system prompts on about half, tool lists (as a JSON string, as many hub datasets store them)
 * with assistant tool calls and tool results on about an eighth, markdown lists and code blocks, and a long tail:
 * a few conversations carry an answer or a pasted document of thousands of words, some beyond the default
 * {@code max-length}. Record {@code i} depends only on the seed and {@code i}, so a smaller corpus is a prefix of
 * a larger one with the same seed.
 *
 * <pre>{@code {"messages": [{"role": "user", "content": "How can I ..."}, {"role": "assistant", "content": "..."}]}}</pre>
 */
public final class CorpusGenerator {
  /** How much to write: a number of conversations, or bytes (the record that crosses the size is the last). */
  public record Size(long conversations, long bytes) {
    public Size {
      if ((conversations > 0) == (bytes > 0)) {
        throw new IllegalArgumentException("Cannot size the corpus: give conversations or bytes, got "
            + conversations + " and " + bytes);
      }
    }

    public static Size ofConversations(long n) {
      return new Size(n, 0);
    }

    public static Size ofBytes(long n) {
      return new Size(0, n);
    }
  }

  /** What was written. */
  public record Written(Path file, long conversations, long bytes) {}

  private static final String[][] TOOLS = {
      {"get_weather", "Get the current weather for a city.", "city:string:The city name", "unit:string:celsius or fahrenheit"},
      {"search_web", "Search the web and return the top results.", "query:string:The search query", "limit:integer:How many results"},
      {"calculator", "Evaluate an arithmetic expression.", "expression:string:The expression to evaluate"},
      {"get_stock_price", "Look up the latest price of a stock.", "symbol:string:The ticker symbol"},
      {"translate", "Translate text into another language.", "text:string:The text", "target:string:The target language code"},
      {"send_email", "Send an email to a recipient.", "to:string:The address", "subject:string:The subject", "body:string:The body"},
      {"get_calendar", "List the events of a day.", "date:string:The date, YYYY-MM-DD"},
      {"query_database", "Run a read-only SQL query.", "sql:string:The SQL statement", "database:string:The database name"},
  };
  private static final String[] SYSTEM_PROMPTS = {
      "You are a helpful assistant.",
      "You are a careful assistant. Answer concisely and say when you are not sure.",
      "You are an expert software engineer who explains code clearly.",
      "You are a friendly tutor. Explain each step and give one example.",
      "你是一个乐于助人的助手。请用简洁的中文回答。",
      "你是一名专业的数据分析师，回答时请给出清楚的步骤。",
      "You are a travel planner. Suggest practical options with prices when you can.",
      "You are a support agent for an online shop. Be polite and precise.",
  };

  private CorpusGenerator() {}

  public static Written write(Path file, long seed, Size size) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    long n = 0;
    long bytes = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      while (size.conversations() > 0 ? n < size.conversations() : bytes < size.bytes()) {
        byte[] line = (JsonWriter.compact(record(seed, n)) + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(line);
        bytes += line.length;
        n++;
      }
    }
    return new Written(file, n, bytes);
  }

  /** Record {@code index} of the corpus of {@code seed}. */
  public static Map<String, Object> record(long seed, long index) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    Lang lang = Lang.draw(r);
    List<Object> messages = new ArrayList<>();
    Map<String, Object> rec = new LinkedHashMap<>();
    if (r.nextInt(100) < 45) {
      String sys = Words.pick(r, SYSTEM_PROMPTS);
      if (r.nextInt(3) == 0) sys += " " + lang.paragraph(r, 1 + r.nextInt(3), 12);
      messages.add(message("system", sys));
    }
    List<String[]> tools = r.nextInt(100) < 12 ? drawTools(r) : List.of();
    int turns = drawTurns(r);
    boolean longTail = r.nextInt(100) < 4;
    int longTurn = r.nextInt(turns);
    for (int t = 0; t < turns; t++) {
      boolean longHere = longTail && t == longTurn;
      boolean pastes = longHere && r.nextBoolean();
      String user = lang.question(r, 6 + r.nextInt(20));
      if (r.nextInt(3) == 0) user += " " + lang.paragraph(r, 1 + r.nextInt(3), 14);
      if (pastes) user += "\n\n" + lang.document(r, longWords(r));
      messages.add(message("user", user));
      if (!tools.isEmpty() && r.nextInt(100) < 60) {
        toolCalls(r, lang, tools, messages);
      }
      messages.add(message("assistant", lang.answer(r, longHere && !pastes ? longWords(r) : answerWords(r))));
    }
    rec.put("messages", messages);
    if (!tools.isEmpty()) rec.put("tools", JsonWriter.compact(toolSchemas(tools)));
    return rec;
  }

  /** An assistant turn calling one or two of the tools, then one tool message per call. */
  private static void toolCalls(SplittableRandom r, Lang lang, List<String[]> tools, List<Object> messages) {
    int k = r.nextInt(4) == 0 ? 2 : 1;
    List<Object> toolCalls = new ArrayList<>();
    List<Object> results = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      String[] tool = tools.get(r.nextInt(tools.size()));
      Map<String, Object> args = new LinkedHashMap<>();
      for (int p = 2; p < tool.length; p++) {
        String[] spec = tool[p].split(":", 3);
        args.put(spec[0], spec[1].equals("integer") ? (Object) (long) (1 + r.nextInt(20)) : lang.term(r));
      }
      String id = String.format("call_%08x", (int) (r.nextLong() >>> 32));
      Map<String, Object> fn = new LinkedHashMap<>();
      fn.put("name", tool[0]);
      fn.put("arguments", JsonWriter.compact(args));
      Map<String, Object> call = new LinkedHashMap<>();
      call.put("id", id);
      call.put("type", "function");
      call.put("function", fn);
      toolCalls.add(call);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("status", "ok");
      result.put("result", lang.paragraph(r, 1 + r.nextInt(3), 10));
      if (r.nextBoolean()) result.put("value", Math.round(r.nextDouble() * 100000) / 100.0);
      Map<String, Object> tm = message("tool", JsonWriter.compact(result));
      tm.put("tool_call_id", id);
      results.add(tm);
    }
    Map<String, Object> a = message("assistant", r.nextInt(3) == 0 ? lang.sentence(r, 8) : "");
    a.put("tool_calls", toolCalls);
    messages.add(a);
    messages.addAll(results);
  }

  private static Map<String, Object> message(String role, String content) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", role);
    m.put("content", content);
    return m;
  }

  private static List<String[]> drawTools(SplittableRandom r) {
    int k = 2 + r.nextInt(3);
    List<String[]> out = new ArrayList<>();
    int start = r.nextInt(TOOLS.length);
    for (int i = 0; i < k; i++) out.add(TOOLS[(start + i * 3) % TOOLS.length]);
    return out;
  }

  private static List<Object> toolSchemas(List<String[]> tools) {
    List<Object> out = new ArrayList<>();
    for (String[] t : tools) {
      Map<String, Object> props = new LinkedHashMap<>();
      List<Object> required = new ArrayList<>();
      for (int p = 2; p < t.length; p++) {
        String[] spec = t[p].split(":", 3);
        Map<String, Object> prop = new LinkedHashMap<>();
        prop.put("type", spec[1]);
        prop.put("description", spec[2]);
        props.put(spec[0], prop);
        if (p == 2) required.add(spec[0]);
      }
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("type", "object");
      params.put("properties", props);
      params.put("required", required);
      Map<String, Object> fn = new LinkedHashMap<>();
      fn.put("name", t[0]);
      fn.put("description", t[1]);
      fn.put("parameters", params);
      Map<String, Object> tool = new LinkedHashMap<>();
      tool.put("type", "function");
      tool.put("function", fn);
      out.add(tool);
    }
    return out;
  }

  /** 1 to 8 user turns, short conversations most common. */
  private static int drawTurns(SplittableRandom r) {
    int[] cumulative = {38, 60, 74, 84, 90, 94, 97, 100};
    int x = r.nextInt(100);
    for (int i = 0; i < cumulative.length; i++) if (x < cumulative[i]) return i + 1;
    return 8;
  }

  /** An ordinary answer: median about 50 words, up to a few hundred. */
  private static int answerWords(SplittableRandom r) {
    return (int) Math.min(600, 10 + Math.exp(3.6 + 0.8 * r.nextGaussian()));
  }

  /** The long tail: Pareto from 600 words, capped at 9,000. */
  private static int longWords(SplittableRandom r) {
    return (int) Math.min(9000, 600 / Math.pow(1 - r.nextDouble(), 1 / 1.3));
  }

  /** The language of a conversation. */
  private enum Lang {
    ENGLISH, CHINESE, MIXED;

    static Lang draw(SplittableRandom r) {
      int x = r.nextInt(100);
      return x < 55 ? ENGLISH : x < 85 ? CHINESE : MIXED;
    }

    String sentence(SplittableRandom r, int words) {
      switch (this) {
        case ENGLISH: return Words.englishSentence(r, words);
        case CHINESE: return Words.chineseSentence(r, words);
        default: return r.nextInt(3) == 0 ? Words.englishSentence(r, words) : Words.mixedSentence(r, words);
      }
    }

    String question(SplittableRandom r, int words) {
      return this == ENGLISH ? Words.englishQuestion(r, words) : Words.chineseQuestion(r, words);
    }

    String term(SplittableRandom r) {
      return this == ENGLISH || r.nextBoolean() ? Words.noun(r) : Words.chineseNoun(r);
    }

    String paragraph(SplittableRandom r, int sentences, int words) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < sentences; i++) {
        if (i > 0 && this == ENGLISH) b.append(' ');
        b.append(sentence(r, Math.max(3, words / 2 + r.nextInt(words + 1))));
      }
      return b.toString();
    }

    /** Paragraphs, sometimes a bullet list, numbered steps or a code block, about {@code words} words long. */
    String answer(SplittableRandom r, int words) {
      StringBuilder b = new StringBuilder();
      int left = words;
      while (left > 0) {
        if (b.length() > 0) b.append("\n\n");
        int kind = r.nextInt(20);
        if (kind < 3) {
          int items = 2 + r.nextInt(4);
          for (int i = 0; i < items; i++) {
            if (i > 0) b.append('\n');
            b.append(kind == 0 ? (i + 1) + ". " : "- ").append(sentence(r, 5 + r.nextInt(10)));
            left -= 8;
          }
        } else if (kind == 3 && this == ENGLISH) {
          b.append(code(r));
          left -= 25;
        } else {
          int n = Math.min(left, 20 + r.nextInt(60));
          b.append(paragraph(r, Math.max(1, n / 14), 14));
          left -= n;
        }
      }
      return b.toString();
    }

    String document(SplittableRandom r, int words) {
      String title = this == ENGLISH ? "Document: " + Words.noun(r) + " " + Words.verb(r) + " notes"
          : "文档：" + Words.chineseNoun(r) + "说明";
      return title + "\n\n" + answer(r, words);
    }

    private static String code(SplittableRandom r) {
      String fn = Words.verb(r) + "_" + Words.noun(r);
      String arg = Words.noun(r) + "s";
      return "```python\ndef " + fn + "(" + arg + "):\n    result = []\n    for item in " + arg + ":\n"
          + "        if item." + Words.noun(r) + " > " + r.nextInt(100) + ":\n"
          + "            result.append(item)\n    return sorted(result, key=lambda x: x." + Words.noun(r) + ")\n```";
    }
  }
}
