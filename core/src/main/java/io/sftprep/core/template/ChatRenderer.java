package io.sftprep.core.template;

import io.sftprep.core.conversation.Chat;
import io.sftprep.core.conversation.Message;
import java.util.ArrayList;
import java.util.HashMap;
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

  public ChatRenderer(ChatTemplate template, Map<String, String> specialTokens, Map<String, Object> extraVars,
      RenderLimits limits) {
    this.template = template;
    this.limits = limits;
    Map<String, Object> b = new HashMap<>(specialTokens);
    b.putAll(extraVars);
    this.base = Map.copyOf(b);
  }

  public ChatTemplate template() {
    return template;
  }

  /** Renders {@code chat.messages()[0..upto)}. */
  public Rendered render(Chat chat, int upto, GenerationPrompt prompt) {
    List<Object> msgs = new ArrayList<>(upto);
    List<Message> all = chat.messages();
    for (int i = 0; i < upto; i++) msgs.add(all.get(i).fields());
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

  /** Whether the template appends the header of a new assistant turn ({@code add_generation_prompt}). */
  public enum GenerationPrompt { NONE, ADD }
}
