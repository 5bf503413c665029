package io.sftprep.core.conversation;

import java.util.List;

/**
 * Messages plus an optional tool list, rendered by the chat template. For prompt/completion records
 * {@code completionStart} is the index of the first completion message; otherwise it is -1.
 *
 * <pre>{@code new Chat(List.of(Message.of("user", "1+1?"), Message.of("assistant", "2")), null, -1)}</pre>
 */
public record Chat(List<Message> messages, List<Object> tools, int completionStart) implements Conversation {
  public Chat {
    messages = List.copyOf(messages);
    if (tools != null) tools = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(tools));
    if (completionStart < -1 || completionStart > messages.size()) {
      throw new IllegalArgumentException("Cannot make chat: completion start " + completionStart + " outside 0.."
          + messages.size());
    }
  }

  public static Chat of(List<Message> messages) {
    return new Chat(messages, null, -1);
  }

  public boolean isPromptCompletion() {
    return completionStart >= 0;
  }
}
