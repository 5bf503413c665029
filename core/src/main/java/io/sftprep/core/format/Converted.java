package io.sftprep.core.format;

import io.sftprep.core.conversation.Conversation;
import java.util.List;

/** A record understood: its layout and the conversations it holds (one, or several for an OpenAssistant tree). */
public record Converted(Format format, List<Conversation> conversations) {
  public Converted {
    conversations = List.copyOf(conversations);
  }
}
