package io.sftprep.core.template;

import io.sftprep.core.conversation.Chat;
import io.sftprep.core.conversation.Message;
import io.sftprep.core.json.JsonWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link Chat} (or a prefix of it) with a chat template the way transformers'
 * {@code apply_chat_template} does: {@code messages}, {@code tools}, {@code documents=None},
 * {@code add_generation_prompt}, the tokenizer's named special tokens, and any extra keyword
 * ({@code enable_thinking}, ...), which overrides a special token of the same name.
 */
public final class ChatRenderer {
  private final ChatTemplate template;
  private final Map<String, Object> base;
  private final RenderLimits limits;
  private final ToolArguments toolArguments;

  /**
   * How tool-call {@code arguments} reach the template: {@code OBJECT} as the conversation holds them (an object
   * where the source gave one or a JSON string holding one: transformers' convention, which Llama 3's and Qwen 3's
   * templates expect), {@code STRING} as JSON text ({@code json.dumps(arguments, ensure_ascii=False)}; a string
   * stays as it is), for templates that concatenate them, such as DeepSeek-V3's.
   */
  public enum ToolArguments { OBJECT, STRING }

  public ChatRenderer(ChatTemplate template, Map<String, String> specialTokens, Map<String, Object> extraVars,
      RenderLimits limits) {
    this(template, specialTokens, extraVars, limits, ToolArguments.OBJECT);
  }

  public ChatRenderer(ChatTemplate template, Map<String, String> specialTokens, Map<String, Object> extraVars,
      RenderLimits limits, ToolArguments toolArguments) {
    this.template = template;
    this.limits = limits;
    this.toolArguments = toolArguments;
    Map<String, Object> b = new HashMap<>(specialTokens);
    b.putAll(extraVars);
    this.base = Map.copyOf(b);
  }

  public ToolArguments toolArguments() {
    return toolArguments;
  }

  public ChatTemplate template() {
    return template;
  }

  /** Renders {@code chat.messages()[0..upto)}. */
  public Rendered render(Chat chat, int upto, GenerationPrompt prompt) {
    List<Object> msgs = new ArrayList<>(upto);
    List<Message> all = chat.messages();
    for (int i = 0; i < upto; i++) {
      Map<String, Object> f = all.get(i).fields();
      msgs.add(toolArguments == ToolArguments.STRING ? withArgumentText(f) : f);
    }
    Map<String, Object> vars = new HashMap<>(8);
    vars.put("messages", msgs);
    vars.put("tools", chat.tools());
    if (!base.containsKey("documents")) vars.put("documents", null);
    vars.put("add_generation_prompt", prompt == GenerationPrompt.ADD);
    return template.render(vars, base, limits);
  }

  public Rendered render(Chat chat) {
    return render(chat, chat.messages().size(), GenerationPrompt.NONE);
  }

  /** The message with every tool call's non-string {@code arguments} written as JSON text. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> withArgumentText(Map<String, Object> message) {
    if (!(message.get("tool_calls") instanceof List)) return message;
    List<Object> calls = new ArrayList<>();
    for (Object c : (List<Object>) message.get("tool_calls")) {
      if (c instanceof Map && ((Map<String, Object>) c).get("function") instanceof Map) {
        Map<String, Object> fn = (Map<String, Object>) ((Map<String, Object>) c).get("function");
        Object args = fn.get("arguments");
        if (args != null && !(args instanceof String)) {
          Map<String, Object> f = new LinkedHashMap<>(fn);
          f.put("arguments", JsonWriter.compact(args));
          Map<String, Object> call = new LinkedHashMap<>((Map<String, Object>) c);
          call.put("function", f);
          c = call;
        }
      }
      calls.add(c);
    }
    Map<String, Object> out = new LinkedHashMap<>(message);
    out.put("tool_calls", calls);
    return out;
  }

  /** Whether the template appends the header of a new assistant turn ({@code add_generation_prompt}). */
  public enum GenerationPrompt { NONE, ADD }
}
