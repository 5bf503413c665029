package io.sftprep.core.conversation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message of a conversation, in the OpenAI shape a chat template expects. {@link #fields()} is exactly what
 * the template sees ({@code role}, {@code content}, and where present {@code tool_calls}, {@code reasoning_content},
 * {@code name}, {@code tool_call_id} and any other key the source record carried); {@link #train()} is the
 * per-message training flag from {@code loss_weight}, {@code weight} or {@code train}, if the record had one.
 */
public record Message(String role, Map<String, Object> fields, Train train) {
  /** A per-message override of the masking policy. */
  public enum Train { DEFAULT, YES, NO }

  public Message {
    if (role == null || role.isEmpty()) throw new IllegalArgumentException("Cannot make message: role is empty");
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  public static Message of(String role, String content) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("role", role);
    f.put("content", content);
    return new Message(role, f, Train.DEFAULT);
  }

  /** The text content, or null when the content is null or absent. */
  public String text() {
    Object c = fields.get("content");
    return c instanceof String ? (String) c : null;
  }
}
