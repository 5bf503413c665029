package io.sftprep.core.testing;

import io.sftprep.core.conversation.Chat;
import io.sftprep.core.conversation.Message;
import io.sftprep.core.format.Converted;
import io.sftprep.core.format.FormatOptions;
import io.sftprep.core.format.Formats;
import io.sftprep.core.json.Json;
import io.sftprep.core.json.JsonWriter;
import io.sftprep.core.pipeline.Rejected;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded generator of chat-template inputs meant to find where the Java engine and Python's jinja2 differ:
 * system prompts or none, 1 to 8 turns, tool lists, tool calls with dict or JSON-string arguments and their tool
 * results, {@code reasoning_content} and inline {@code <think>}, content given as parts, empty and null content,
 * CJK, emoji, right-to-left and combining text, whitespace at the edges, literal special-token and template text,
 * non-alternating roles, and {@code enable_thinking} on or off. Most records go through {@link Formats} first
 * (parts joined, JSON-string arguments parsed, {@code type: function} added), as the job feeds templates; the rest
 * reach the template exactly as written.
 *
 * <pre>{@code RandomConversations.generate(42, 2000)  ->  the same 2,000 conversations on every run}</pre>
 */
public final class RandomConversations {
  private RandomConversations() {}

  /** The special tokens every render gets, as the golden battery has them. */
  public static final Map<String, Object> SPECIAL_TOKENS = java.util.Collections.unmodifiableMap(
      map("bos_token", "<s>", "eos_token", "</s>", "pad_token", "<pad>", "unk_token", "<unk>"));

  private static final String[] WORDS = {
    "the", "weather", "is", "fine", "today", "compute", "2+2", "answer:", "Paris", "naïve", "café", "façade",
    "你好", "世界", "日本語のテキスト", "안녕하세요", "Привет", "γειά", "مرحبا بالعالم", "שלום עולם", "हिन्दी",
    "😀", "👩‍💻", "🇫🇷", "e\u0301", "\u200b", "\u00a0", "x\u2028y", "tab\there", "\"quoted\"", "it's", "back\\slash",
    "{json: true}", "[1, 2]", "<b>bold</b>", "&amp;", "%s", "{0}", "{{ messages }}", "{% if %}", "{# c #}",
    "<|im_start|>", "<|im_end|>", "<|eot_id|>", "<|start_header_id|>", "<start_of_turn>", "<end_of_turn>",
    "<｜User｜>", "<｜Assistant｜>", "<｜end▁of▁sentence｜>", "<think>", "</think>", "<tool_call>", "</tool_call>",
    "<tool_response>", "</tool_response>", "<s>", "</s>", "<pad>", "\n", "\n\n", "   ", "123", "-0.5", "1e-7"
  };
  private static final String[] EDGES = {" ", "\n", "\n\n", "\t", " \n ", "\r\n", "\u3000", "  \t\n"};
  private static final double[] FLOATS = {1.5, -0.25, 3.0, 1e-7, 1e22, 0.1, 2.5e-300, 1e16, 1e-5, -0.0, 100.0,
    123456789.123, 0.30000000000000004, 1.7976931348623157e308};
  private static final String[] TOOL_NAMES = {"get_weather", "search", "calc", "lookup_用户", "send_email"};

  /** {@code count} conversations from {@code seed}: the same seed always gives the same conversations. */
  public static List<PythonTemplates.Conversation> generate(long seed, int count) {
    SplittableRandom r = new SplittableRandom(seed);
    List<PythonTemplates.Conversation> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) out.add(one(r.split()));
    return out;
  }

  /** The messages of a generated conversation as the chat the renderer takes. */
  @SuppressWarnings("unchecked")
  public static Chat chat(PythonTemplates.Conversation c) {
    List<Message> msgs = new ArrayList<>();
    for (Object o : c.messages()) {
      Map<String, Object> m = (Map<String, Object>) o;
      msgs.add(new Message((String) m.get("role"), m, Message.Train.DEFAULT));
    }
    return new Chat(msgs, c.tools(), -1);
  }

  /** The keywords of a conversation that are not special tokens ({@code enable_thinking}). */
  public static Map<String, Object> extraKeywords(PythonTemplates.Conversation c) {
    Map<String, Object> extra = new LinkedHashMap<>(c.kwargs());
    extra.keySet().removeAll(SPECIAL_TOKENS.keySet());
    return extra;
  }

  @SuppressWarnings("unchecked")
  private static PythonTemplates.Conversation one(SplittableRandom r) {
    List<Object> tools = r.nextInt(10) < 3 ? tools(r) : null;
    List<Object> messages = messages(r, tools);
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("messages", messages);
    if (tools != null) record.put("tools", tools);
    // both sides must see the same values: what JSON gives back (Long, Double, LinkedHashMap, ...)
    record = roundTrip(record);
    List<Object> msgs = (List<Object>) record.get("messages");
    List<Object> tls = (List<Object>) record.get("tools");
    if (r.nextInt(10) < 7) {
      try {
        Converted c = Formats.convert(record, FormatOptions.DEFAULTS);
        Chat chat = (Chat) c.conversations().get(0);
        msgs = new ArrayList<>();
        for (Message m : chat.messages()) msgs.add(new LinkedHashMap<>(m.fields()));
        tls = chat.tools();
        Map<String, Object> again = new LinkedHashMap<>();
        again.put("messages", msgs);
        again.put("tools", tls);
        again = roundTrip(again);
        msgs = (List<Object>) again.get("messages");
        tls = (List<Object>) again.get("tools");
      } catch (Rejected e) {
        // the raw record then
      }
    }
    Map<String, Object> kwargs = new LinkedHashMap<>(SPECIAL_TOKENS);
    int thinking = r.nextInt(10);
    if (thinking < 2) kwargs.put("enable_thinking", false);
    else if (thinking < 3) kwargs.put("enable_thinking", true);
    return new PythonTemplates.Conversation(msgs, tls, kwargs);
  }

  /** The value as JSON gives it back: Long, Double, LinkedHashMap, ArrayList, as Python will read it. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> roundTrip(Map<String, Object> value) {
    try {
      return (Map<String, Object>) Json.parse(JsonWriter.compact(value));
    } catch (io.sftprep.core.json.JsonException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What one conversation may contain; each is rare enough that most conversations suit most templates. */
  private record Traits(boolean toolCalls, boolean parts, int oddTurn, int oddKind) {}

  private static List<Object> messages(SplittableRandom r, List<Object> tools) {
    int turns = 1 + r.nextInt(8);
    Traits traits = new Traits(tools != null ? r.nextInt(10) < 8 : r.nextInt(20) == 0, r.nextInt(7) == 0,
        r.nextInt(10) == 0 ? r.nextInt(turns) : -1, r.nextInt(4));
    List<Object> out = new ArrayList<>();
    if (r.nextBoolean()) out.add(message("system", content(r, traits.parts())));
    int callId = 0;
    for (int t = 0; t < turns; t++) {
      boolean odd = t == traits.oddTurn();
      if (odd && traits.oddKind() == 0) out.add(message("assistant", text(r))); // assistant before the user
      if (odd && traits.oddKind() == 1) out.add(message("system", text(r))); // a system message mid-way
      Map<String, Object> user = message("user", content(r, traits.parts()));
      if (r.nextInt(20) == 0) user.put("name", "user_" + t);
      out.add(user);
      if (odd && traits.oddKind() == 2) out.add(message("user", text(r))); // two users in a row
      if (odd && traits.oddKind() == 3) out.add(message("developer", text(r)));
      if (t == turns - 1 && r.nextInt(5) == 0) break; // ends on the user
      if (traits.toolCalls() && r.nextInt(10) < 4) {
        int calls = 1 + r.nextInt(3);
        Map<String, Object> a = message("assistant", null);
        int c = r.nextInt(4);
        a.put("content", c == 0 ? null : c == 1 ? "" : text(r));
        List<Object> toolCalls = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < calls; k++) {
          String id = "call_" + (callId++);
          ids.add(id);
          toolCalls.add(toolCall(r, id));
        }
        a.put("tool_calls", toolCalls);
        if (r.nextInt(5) == 0) a.put("reasoning_content", text(r));
        out.add(a);
        for (String id : ids) {
          Map<String, Object> result = message("tool", r.nextBoolean() ? text(r)
              : JsonWriter.compact(map("result", text(r), "ok", r.nextBoolean())));
          result.put("tool_call_id", id);
          if (r.nextBoolean()) result.put("name", TOOL_NAMES[r.nextInt(TOOL_NAMES.length)]);
          out.add(result);
        }
        if (r.nextInt(5) == 0) continue; // the tool results end the turn
      }
      out.add(assistant(r));
    }
    return out;
  }

  private static Map<String, Object> assistant(SplittableRandom r) {
    int kind = r.nextInt(10);
    if (kind == 0) return message("assistant", "<think>\n" + text(r) + "\n</think>\n\n" + text(r));
    Map<String, Object> m = message("assistant", r.nextInt(20) == 0 ? "" : text(r));
    if (kind == 1 || kind == 2) m.put("reasoning_content", kind == 1 ? text(r) : "");
    if (kind == 3) m.put("reasoning_content", null);
    return m;
  }

  /** An ordered map: generated records must come out the same on every run. */
  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    return m;
  }

  private static Map<String, Object> message(String role, Object content) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", role);
    m.put("content", content);
    return m;
  }

  /** Text, or now and then a list of text parts. */
  private static Object content(SplittableRandom r, boolean partsAllowed) {
    if (partsAllowed && r.nextInt(3) == 0) {
      List<Object> parts = new ArrayList<>();
      for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "text");
        p.put("text", text(r));
        parts.add(p);
      }
      return parts;
    }
    return text(r);
  }

  private static String text(SplittableRandom r) {
    int kind = r.nextInt(20);
    if (kind == 0) return "";
    StringBuilder sb = new StringBuilder();
    if (kind < 5) sb.append(EDGES[r.nextInt(EDGES.length)]);
    int words = kind == 5 ? 300 + r.nextInt(300) : 1 + r.nextInt(12);
    for (int i = 0; i < words; i++) {
      if (i > 0) sb.append(r.nextInt(8) == 0 ? "\n" : " ");
      sb.append(WORDS[r.nextInt(WORDS.length)]);
    }
    if (kind < 5 || kind == 6) sb.append(EDGES[r.nextInt(EDGES.length)]);
    return sb.toString();
  }

  private static List<Object> tools(SplittableRandom r) {
    List<Object> tools = new ArrayList<>();
    for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
      Map<String, Object> props = new LinkedHashMap<>();
      props.put("location", map("type", "string", "description", text(r)));
      if (r.nextBoolean()) props.put("unit", map("type", "string", "enum", List.of("celsius", "fahrenheit")));
      if (r.nextBoolean()) props.put("days", map("type", "integer", "minimum", 1L, "maximum", 14L));
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("type", "object");
      params.put("properties", props);
      params.put("required", List.of("location"));
      Map<String, Object> fn = new LinkedHashMap<>();
      fn.put("name", TOOL_NAMES[r.nextInt(TOOL_NAMES.length)]);
      fn.put("description", text(r));
      fn.put("parameters", params);
      Map<String, Object> tool = new LinkedHashMap<>();
      tool.put("type", "function");
      tool.put("function", fn);
      tools.add(tool);
    }
    return tools;
  }

  private static Map<String, Object> toolCall(SplittableRandom r, String id) {
    Map<String, Object> args = new LinkedHashMap<>();
    for (int i = 0, n = r.nextInt(4); i < n; i++) {
      args.put(i == 0 ? "location" : WORDS[r.nextInt(WORDS.length)], value(r, 2));
    }
    Map<String, Object> fn = new LinkedHashMap<>();
    fn.put("name", TOOL_NAMES[r.nextInt(TOOL_NAMES.length)]);
    fn.put("arguments", r.nextInt(10) < 4 ? JsonWriter.compact(args) : args);
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("id", id);
    if (r.nextInt(10) < 7) call.put("type", "function");
    call.put("function", fn);
    return call;
  }

  private static Object value(SplittableRandom r, int depth) {
    switch (r.nextInt(depth > 0 ? 9 : 7)) {
      case 0: return text(r);
      case 1: return (long) r.nextInt(-1000, 1000);
      case 2: return FLOATS[r.nextInt(FLOATS.length)];
      case 3: return r.nextBoolean();
      case 4: return null;
      case 5: return r.nextBoolean() ? (Object) (Long.MAX_VALUE - r.nextInt(10))
          : java.math.BigInteger.TWO.pow(64 + r.nextInt(40)).negate();
      case 6: return WORDS[r.nextInt(WORDS.length)];
      case 7: {
        List<Object> l = new ArrayList<>();
        for (int i = 0, n = r.nextInt(4); i < n; i++) l.add(value(r, depth - 1));
        return l;
      }
      default: {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0, n = r.nextInt(4); i < n; i++) m.put(WORDS[r.nextInt(WORDS.length)], value(r, depth - 1));
        return m;
      }
    }
  }
}
