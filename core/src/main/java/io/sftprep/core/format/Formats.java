package io.sftprep.core.format;

import io.sftprep.core.conversation.Chat;
import io.sftprep.core.conversation.Conversation;
import io.sftprep.core.conversation.Message;
import io.sftprep.core.conversation.PlainText;
import io.sftprep.core.json.Json;
import io.sftprep.core.json.JsonException;
import io.sftprep.core.pipeline.Reason;
import io.sftprep.core.pipeline.Rejected;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one parsed JSON record into conversations in the OpenAI message shape, whatever its layout. Detection
 * is an explicit allowlist of key sets; a record that matches none is rejected with the keys it had.
 *
 * <p>Normalisations (the same in the Python reference used by the parity tests): content given as a list of text
 * parts is joined into one string; tool-call {@code arguments} given as a JSON string holding an object become that
 * object; a tool call without {@code type} gets {@code "function"}; legacy {@code function_call} / role
 * {@code function} / {@code functions} become {@code tool_calls} / role {@code tool} / {@code tools}; an empty tool
 * list is no tool list.
 */
public final class Formats {
  private Formats() {}

  private static final Set<String> CHAT_ROLES = Set.of("system", "developer", "user", "assistant", "tool", "ipython");

  public static Converted convert(Map<String, Object> record, FormatOptions opts) throws Rejected {
    Format f = opts.forced() != null ? opts.forced() : detect(record, opts);
    switch (f) {
      case OPENAI_MESSAGES:
      case OPENAI_FUNCTIONS:
        return openai(record, opts, opts.messagesField());
      case CONVERSATIONS:
        return openai(record, opts, "conversations");
      case SHAREGPT:
        return sharegpt(record, opts);
      case ALPACA:
        return one(Format.ALPACA, alpaca(record));
      case PROMPT_COMPLETION:
        return one(Format.PROMPT_COMPLETION, promptCompletion(record, opts, "completion"));
      case PROMPT_RESPONSE:
        return one(Format.PROMPT_RESPONSE, promptCompletion(record, opts, "response"));
      case TEXT:
        return one(Format.TEXT, new PlainText("", string(record, "text", true)));
      case OASST:
        return new Converted(Format.OASST, oasst(record));
      default:
        throw new IllegalStateException(f.toString());
    }
  }

  private static Converted one(Format f, Conversation c) {
    return new Converted(f, List.of(c));
  }

  /** The layout of a record, from its keys. */
  public static Format detect(Map<String, Object> r, FormatOptions opts) throws Rejected {
    if (r.get(opts.messagesField()) instanceof List) {
      return isLegacyFunctions(r, opts.messagesField()) ? Format.OPENAI_FUNCTIONS : Format.OPENAI_MESSAGES;
    }
    for (String key : new String[] {opts.messagesField(), "conversations"}) {
      Object v = r.get(key);
      if (v != null && !(v instanceof List)) {
        throw new Rejected(Reason.BAD_FIELD, "'" + key + "' must be a list of messages, found " + Json.typeName(v));
      }
    }
    Object conv = r.get("conversations");
    if (conv instanceof List) {
      for (Object m : (List<?>) conv) {
        if (m instanceof Map) {
          Map<?, ?> mm = (Map<?, ?>) m;
          if (mm.containsKey("from") || mm.containsKey("value")) return Format.SHAREGPT;
          if (mm.containsKey(opts.roleKey())) return Format.CONVERSATIONS;
        }
      }
      if (((List<?>) conv).isEmpty()) return Format.SHAREGPT;
    }
    Object prompt = r.get("prompt");
    if (prompt instanceof Map && (((Map<?, ?>) prompt).containsKey("replies")
        || ((Map<?, ?>) prompt).containsKey("role"))) {
      return Format.OASST;
    }
    if (r.containsKey("prompt") && r.containsKey("completion")) return Format.PROMPT_COMPLETION;
    if (r.containsKey("prompt") && r.containsKey("response")) return Format.PROMPT_RESPONSE;
    if (r.containsKey("instruction") && r.containsKey("output")) return Format.ALPACA;
    if (r.containsKey("text")) return Format.TEXT;
    throw new Rejected(Reason.UNKNOWN_FORMAT, "no known layout has the keys " + r.keySet()
        + "; expected one of: " + opts.messagesField() + ", conversations, instruction+output, prompt+completion,"
        + " prompt+response, text, an OpenAssistant tree (prompt.replies); or force one with --format");
  }

  private static boolean isLegacyFunctions(Map<String, Object> r, String field) {
    if (r.containsKey("functions")) return true;
    for (Object m : (List<?>) r.get(field)) {
      if (m instanceof Map && (((Map<?, ?>) m).containsKey("function_call")
          || "function".equals(((Map<?, ?>) m).get("role")))) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ OpenAI messages / role-content

  @SuppressWarnings("unchecked")
  private static Converted openai(Map<String, Object> r, FormatOptions opts, String field) throws Rejected {
    Object raw = r.get(field);
    if (!(raw instanceof List)) {
      throw new Rejected(Reason.BAD_FIELD, "'" + field + "' must be a list of messages, found " + Json.typeName(raw));
    }
    List<Object> list = (List<Object>) raw;
    boolean legacy = isLegacyFunctions(r, field);
    List<Message> msgs = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object o = list.get(i);
      if (!(o instanceof Map)) {
        throw new Rejected(Reason.BAD_FIELD, field + "[" + i + "] must be an object, found " + Json.typeName(o));
      }
      msgs.add(openaiMessage((Map<String, Object>) o, i, field, opts));
    }
    if (msgs.isEmpty()) throw new Rejected(Reason.EMPTY_CONVERSATION, "'" + field + "' is an empty list");
    List<Object> tools = tools(r.get("tools"), "tools");
    if (tools == null && r.get("functions") != null) tools = functionsAsTools(r.get("functions"));
    Format f = field.equals("conversations") && !field.equals(opts.messagesField()) ? Format.CONVERSATIONS
        : (legacy ? Format.OPENAI_FUNCTIONS : Format.OPENAI_MESSAGES);
    return one(f, new Chat(msgs, tools, -1));
  }

  @SuppressWarnings("unchecked")
  private static Message openaiMessage(Map<String, Object> m, int i, String field, FormatOptions opts)
      throws Rejected {
    String where = field + "[" + i + "]";
    Object roleObj = m.get(opts.roleKey());
    if (!(roleObj instanceof String)) {
      throw new Rejected(Reason.BAD_FIELD, where + "." + opts.roleKey() + " must be a string, found "
          + Json.typeName(roleObj));
    }
    String role = (String) roleObj;
    if (role.equals("function")) role = "tool";
    if (!CHAT_ROLES.contains(role)) {
      throw new Rejected(Reason.UNKNOWN_ROLE, where + " has role '" + roleObj + "'; expected one of "
          + "system, developer, user, assistant, tool (function), ipython");
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("role", role);
    f.put("content", content(m.get(opts.contentKey()), where + "." + opts.contentKey()));
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String k = e.getKey();
      if (k.equals(opts.roleKey()) || k.equals(opts.contentKey()) || k.equals("role") || k.equals("content")) {
        continue;
      }
      if (k.equals("tool_calls")) {
        f.put("tool_calls", toolCalls(e.getValue(), where + ".tool_calls"));
      } else if (k.equals("function_call")) {
        if (e.getValue() != null) f.put("tool_calls", List.of(toolCall(e.getValue(), where + ".function_call")));
      } else {
        f.put(k, e.getValue());
      }
    }
    return new Message(role, f, trainFlag(m, where));
  }

  /** {@code loss_weight} / {@code weight} (0 = not trained) or {@code train} (boolean), if present. */
  private static Message.Train trainFlag(Map<String, Object> m, String where) throws Rejected {
    for (String k : new String[] {"train", "loss_weight", "weight"}) {
      if (!m.containsKey(k) || m.get(k) == null) continue;
      Object v = m.get(k);
      if (v instanceof Boolean) return (Boolean) v ? Message.Train.YES : Message.Train.NO;
      if (v instanceof Number) return ((Number) v).doubleValue() != 0 ? Message.Train.YES : Message.Train.NO;
      throw new Rejected(Reason.BAD_FIELD, where + "." + k + " must be a number or boolean, found "
          + Json.typeName(v));
    }
    return Message.Train.DEFAULT;
  }

  /** String, null, or a list of text parts (joined); anything else is rejected. */
  @SuppressWarnings("unchecked")
  static Object content(Object c, String where) throws Rejected {
    if (c == null || c instanceof String) return c;
    if (c instanceof List) {
      StringBuilder sb = new StringBuilder();
      for (Object p : (List<Object>) c) {
        if (p instanceof String) {
          sb.append((String) p);
          continue;
        }
        if (!(p instanceof Map)) {
          throw new Rejected(Reason.BAD_FIELD, where + " holds a part that is " + Json.typeName(p)
              + ", expected {type: text, text: ...}");
        }
        Map<String, Object> part = (Map<String, Object>) p;
        Object type = part.get("type");
        if (type != null && !"text".equals(type)) {
          throw new Rejected(Reason.UNSUPPORTED_CONTENT, where + " holds a '" + type + "' part; only text parts "
              + "are supported");
        }
        Object text = part.containsKey("text") ? part.get("text") : part.get("value");
        if (!(text instanceof String)) {
          throw new Rejected(Reason.BAD_FIELD, where + " holds a text part without a string 'text' (or 'value')");
        }
        sb.append((String) text);
      }
      return sb.toString();
    }
    throw new Rejected(Reason.BAD_FIELD, where + " must be a string, null or a list of text parts, found "
        + Json.typeName(c));
  }

  @SuppressWarnings("unchecked")
  private static List<Object> toolCalls(Object v, String where) throws Rejected {
    if (v == null) return null;
    if (!(v instanceof List)) {
      throw new Rejected(Reason.BAD_FIELD, where + " must be a list, found " + Json.typeName(v));
    }
    List<Object> out = new ArrayList<>();
    int i = 0;
    for (Object c : (List<Object>) v) {
      if (!(c instanceof Map)) {
        throw new Rejected(Reason.BAD_FIELD, where + "[" + i + "] must be an object, found " + Json.typeName(c));
      }
      Map<String, Object> call = new LinkedHashMap<>((Map<String, Object>) c);
      Object fn = call.get("function");
      if (fn instanceof Map) {
        Map<String, Object> f = new LinkedHashMap<>((Map<String, Object>) fn);
        if (f.containsKey("arguments")) f.put("arguments", arguments(f.get("arguments")));
        call.put("function", f);
        call.putIfAbsent("type", "function"); // OpenAI's only tool-call type; templates such as DeepSeek's read it
      } else if (call.containsKey("name")) { // {name, arguments} without the function wrapper
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", call.remove("name"));
        if (call.containsKey("arguments")) f.put("arguments", arguments(call.remove("arguments")));
        call.put("type", call.getOrDefault("type", "function"));
        call.put("function", f);
      }
      out.add(call);
      i++;
    }
    return out;
  }

  /** A legacy {@code function_call} {name, arguments} as one modern tool call. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> toolCall(Object v, String where) throws Rejected {
    if (!(v instanceof Map)) {
      throw new Rejected(Reason.BAD_FIELD, where + " must be an object {name, arguments}, found "
          + Json.typeName(v));
    }
    Map<String, Object> src = (Map<String, Object>) v;
    if (!(src.get("name") instanceof String)) {
      throw new Rejected(Reason.BAD_FIELD, where + ".name must be a string");
    }
    Map<String, Object> fn = new LinkedHashMap<>();
    fn.put("name", src.get("name"));
    fn.put("arguments", arguments(src.getOrDefault("arguments", new LinkedHashMap<>())));
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("type", "function");
    call.put("function", fn);
    return call;
  }

  /** Arguments as an object when they are a JSON string holding one; otherwise as given. */
  static Object arguments(Object a) {
    if (a instanceof String) {
      String s = ((String) a).trim();
      if (s.startsWith("{")) {
        try {
          Object parsed = Json.parse(s);
          if (parsed instanceof Map) return parsed;
        } catch (JsonException e) {
          return a;
        }
      }
    }
    return a;
  }

  /** A tool list given as a list or as a JSON string; empty means none. */
  @SuppressWarnings("unchecked")
  static List<Object> tools(Object v, String where) throws Rejected {
    if (v == null) return null;
    if (v instanceof String) {
      String s = ((String) v).trim();
      if (s.isEmpty()) return null;
      try {
        v = Json.parse(s);
      } catch (JsonException e) {
        throw new Rejected(Reason.BAD_FIELD, where + " is a string but not JSON: " + e.getMessage());
      }
    }
    if (v instanceof Map) v = List.of(v);
    if (!(v instanceof List)) {
      throw new Rejected(Reason.BAD_FIELD, where + " must be a list (or a JSON string of one), found "
          + Json.typeName(v));
    }
    List<Object> l = (List<Object>) v;
    return l.isEmpty() ? null : l;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> functionsAsTools(Object v) throws Rejected {
    List<Object> fns = tools(v, "functions");
    if (fns == null) return null;
    List<Object> out = new ArrayList<>();
    for (Object f : fns) {
      if (f instanceof Map && ((Map<String, Object>) f).containsKey("function")) {
        out.add(f);
        continue;
      }
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("type", "function");
      t.put("function", f);
      out.add(t);
    }
    return out;
  }

  // ------------------------------------------------------------------ ShareGPT

  @SuppressWarnings("unchecked")
  private static Converted sharegpt(Map<String, Object> r, FormatOptions opts) throws Rejected {
    Object raw = r.get("conversations");
    if (!(raw instanceof List)) {
      throw new Rejected(Reason.BAD_FIELD, "'conversations' must be a list, found " + Json.typeName(raw));
    }
    String roleKey = opts.roleKey().equals("role") ? "from" : opts.roleKey();
    String contentKey = opts.contentKey().equals("content") ? "value" : opts.contentKey();
    List<Message> msgs = new ArrayList<>();
    String sys = string(r, "system", false);
    if (sys != null && !sys.isEmpty()) msgs.add(Message.of("system", sys));
    List<Object> list = (List<Object>) raw;
    for (int i = 0; i < list.size(); i++) {
      String where = "conversations[" + i + "]";
      Object o = list.get(i);
      if (!(o instanceof Map)) {
        throw new Rejected(Reason.BAD_FIELD, where + " must be an object, found " + Json.typeName(o));
      }
      Map<String, Object> m = (Map<String, Object>) o;
      Object from = m.get(roleKey);
      if (!(from instanceof String)) {
        throw new Rejected(Reason.BAD_FIELD, where + "." + roleKey + " must be a string, found "
            + Json.typeName(from));
      }
      Object value = content(m.get(contentKey), where + "." + contentKey);
      Message.Train train = trainFlag(m, where);
      Map<String, Object> f = new LinkedHashMap<>();
      switch ((String) from) {
        case "human":
        case "user":
          f.put("role", "user");
          f.put("content", value);
          break;
        case "gpt":
        case "assistant":
        case "model":
        case "chatgpt":
        case "bard":
        case "bing":
          f.put("role", "assistant");
          f.put("content", value);
          break;
        case "system":
          f.put("role", "system");
          f.put("content", value);
          break;
        case "function_call":
        case "tool_call": {
          f.put("role", "assistant");
          // a ShareGPT call turn has no text: "" (as Qwen's own tool-call examples pass it), not null, which
          // templates that test `'</think>' in message.content` (Qwen3) cannot render
          f.put("content", "");
          f.put("tool_calls", sharegptCalls(value, where));
          break;
        }
        case "observation":
        case "function":
        case "tool":
          f.put("role", "tool");
          f.put("content", value);
          break;
        default:
          throw new Rejected(Reason.UNKNOWN_ROLE, where + " is from '" + from + "'; expected human/user, "
              + "gpt/assistant/model, system, function_call, observation/function/tool");
      }
      msgs.add(new Message((String) f.get("role"), f, train));
    }
    if (msgs.isEmpty()) throw new Rejected(Reason.EMPTY_CONVERSATION, "'conversations' is an empty list");
    return one(Format.SHAREGPT, new Chat(msgs, tools(r.get("tools"), "tools"), -1));
  }

  @SuppressWarnings("unchecked")
  private static List<Object> sharegptCalls(Object value, String where) throws Rejected {
    if (!(value instanceof String)) {
      throw new Rejected(Reason.BAD_FIELD, where + " function_call value must be a JSON string");
    }
    Object parsed;
    try {
      parsed = Json.parse((String) value);
    } catch (JsonException e) {
      throw new Rejected(Reason.BAD_FIELD, where + " function_call value is not JSON: " + e.getMessage());
    }
    List<Object> calls = new ArrayList<>();
    List<Object> items = parsed instanceof List ? (List<Object>) parsed : List.of(parsed);
    for (Object c : items) calls.add(toolCall(c, where));
    return calls;
  }

  // ------------------------------------------------------------------ Alpaca, prompt/completion, text

  @SuppressWarnings("unchecked")
  private static Conversation alpaca(Map<String, Object> r) throws Rejected {
    String instruction = string(r, "instruction", true);
    String input = string(r, "input", false);
    String output = string(r, "output", true);
    List<Message> msgs = new ArrayList<>();
    String system = string(r, "system", false);
    if (system != null && !system.isEmpty()) msgs.add(Message.of("system", system));
    Object history = r.get("history");
    if (history != null) {
      if (!(history instanceof List)) throw new Rejected(Reason.BAD_FIELD, "'history' must be a list of pairs");
      int i = 0;
      for (Object pair : (List<Object>) history) {
        if (!(pair instanceof List) || ((List<Object>) pair).size() != 2
            || !(((List<Object>) pair).get(0) instanceof String) || !(((List<Object>) pair).get(1) instanceof String)) {
          throw new Rejected(Reason.BAD_FIELD, "history[" + i + "] must be a pair of strings [query, response]");
        }
        msgs.add(Message.of("user", (String) ((List<Object>) pair).get(0)));
        msgs.add(Message.of("assistant", (String) ((List<Object>) pair).get(1)));
        i++;
      }
    }
    String user = input == null || input.isEmpty() ? instruction : instruction + "\n" + input;
    msgs.add(Message.of("user", user));
    msgs.add(Message.of("assistant", output));
    return Chat.of(msgs);
  }

  @SuppressWarnings("unchecked")
  private static Conversation promptCompletion(Map<String, Object> r, FormatOptions opts, String completionKey)
      throws Rejected {
    Object p = r.get("prompt");
    Object c = r.get(completionKey);
    if (p instanceof String && c instanceof String) return new PlainText((String) p, (String) c);
    if (p instanceof List && c instanceof List) {
      List<Message> msgs = new ArrayList<>();
      int i = 0;
      for (Object o : (List<Object>) p) {
        if (!(o instanceof Map)) throw new Rejected(Reason.BAD_FIELD, "prompt[" + i + "] must be an object");
        msgs.add(openaiMessage((Map<String, Object>) o, i++, "prompt", opts));
      }
      int start = msgs.size();
      i = 0;
      for (Object o : (List<Object>) c) {
        if (!(o instanceof Map)) throw new Rejected(Reason.BAD_FIELD, completionKey + "[" + i + "] must be an object");
        msgs.add(openaiMessage((Map<String, Object>) o, i++, completionKey, opts));
      }
      if (start == msgs.size()) throw new Rejected(Reason.EMPTY_CONVERSATION, "'" + completionKey + "' is empty");
      return new Chat(msgs, tools(r.get("tools"), "tools"), start);
    }
    throw new Rejected(Reason.BAD_FIELD, "'prompt' and '" + completionKey + "' must both be strings or both be "
        + "lists of messages, found " + Json.typeName(p) + " and " + Json.typeName(c));
  }

  private static String string(Map<String, Object> r, String key, boolean required) throws Rejected {
    Object v = r.get(key);
    if (v == null) {
      if (required) throw new Rejected(Reason.BAD_FIELD, "'" + key + "' is missing or null");
      return null;
    }
    if (!(v instanceof String)) {
      throw new Rejected(Reason.BAD_FIELD, "'" + key + "' must be a string, found " + Json.typeName(v));
    }
    return (String) v;
  }

  // ------------------------------------------------------------------ OpenAssistant trees

  @SuppressWarnings("unchecked")
  private static List<Conversation> oasst(Map<String, Object> r) throws Rejected {
    Object root = r.get("prompt");
    if (!(root instanceof Map)) throw new Rejected(Reason.BAD_FIELD, "'prompt' must be a message tree node");
    Set<List<Message>> paths = new LinkedHashSet<>();
    walk((Map<String, Object>) root, new ArrayList<>(), paths, 0);
    if (paths.isEmpty()) {
      throw new Rejected(Reason.NO_ASSISTANT_TURN, "the message tree has no path that ends on an assistant reply");
    }
    List<Conversation> out = new ArrayList<>();
    for (List<Message> p : paths) out.add(Chat.of(p));
    return out;
  }

  /** Root-to-leaf walk; each leaf's path, cut after its last assistant message, is one conversation. */
  @SuppressWarnings("unchecked")
  private static void walk(Map<String, Object> node, List<Message> path, Set<List<Message>> out, int depth)
      throws Rejected {
    if (Boolean.TRUE.equals(node.get("deleted"))) {
      addCut(path, out);
      return;
    }
    if (depth > 1000) throw new Rejected(Reason.BAD_FIELD, "message tree deeper than 1000");
    Object role = node.get("role");
    Object text = node.get("text");
    if (!(text instanceof String)) throw new Rejected(Reason.BAD_FIELD, "tree node text must be a string");
    String mapped;
    if ("prompter".equals(role) || "user".equals(role)) mapped = "user";
    else if ("assistant".equals(role)) mapped = "assistant";
    else throw new Rejected(Reason.UNKNOWN_ROLE, "tree node role '" + role + "'; expected prompter or assistant");
    List<Message> here = new ArrayList<>(path);
    here.add(Message.of(mapped, (String) text));
    Object replies = node.get("replies");
    List<Object> kids = replies instanceof List ? (List<Object>) replies : List.of();
    boolean any = false;
    for (Object k : kids) {
      if (k instanceof Map && !Boolean.TRUE.equals(((Map<String, Object>) k).get("deleted"))) {
        walk((Map<String, Object>) k, here, out, depth + 1);
        any = true;
      }
    }
    if (!any) addCut(here, out);
  }

  private static void addCut(List<Message> path, Set<List<Message>> out) {
    int last = -1;
    for (int i = 0; i < path.size(); i++) if (path.get(i).role().equals("assistant")) last = i;
    if (last >= 0) out.add(List.copyOf(path.subList(0, last + 1)));
  }
}
