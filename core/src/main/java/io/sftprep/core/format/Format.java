package io.sftprep.core.format;

import java.util.Locale;

/**
 * The input layouts sftprep accepts: an explicit allowlist, detected per record from its keys (or forced with
 * {@code --format}) and counted in the stats.
 */
public enum Format {
  /** {@code {"messages": [{"role", "content", "tool_calls"?, "reasoning_content"?}], "tools"?}}. */
  OPENAI_MESSAGES,
  /** Legacy OpenAI functions: {@code functions}, assistant {@code function_call}, role {@code function}. */
  OPENAI_FUNCTIONS,
  /** {@code {"conversations": [{"role", "content"}]}} (minimind style). */
  CONVERSATIONS,
  /** ShareGPT {@code {"conversations": [{"from", "value"}], "system"?, "tools"?}}. */
  SHAREGPT,
  /** {@code {"instruction", "input"?, "output", "system"?, "history"?}}. */
  ALPACA,
  /** TRL {@code {"prompt", "completion"}}: both strings, or both lists of messages. */
  PROMPT_COMPLETION,
  /** {@code {"prompt", "response"}} strings. */
  PROMPT_RESPONSE,
  /** {@code {"text"}}: continued pretraining, every token trained, no template. */
  TEXT,
  /** OpenAssistant message trees: {@code {"prompt": {"text", "role", "replies": [...]}}}. */
  OASST;

  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** {@code "sharegpt"} or {@code "auto"} (null). */
  public static Format fromKey(String key) {
    if (key == null || key.isEmpty() || key.equals("auto")) return null;
    try {
      return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      StringBuilder known = new StringBuilder("auto");
      for (Format f : values()) known.append(", ").append(f.key());
      throw new IllegalArgumentException("unknown format '" + key + "': expected one of " + known);
    }
  }
}
