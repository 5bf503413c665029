package io.sftprep.core.conversation;

/**
 * Text tokenized without a chat template, as TRL does for plain {@code text} and plain prompt/completion:
 * the tokenizer's own special tokens around {@code prompt + completion}, EOS at the end; {@code prompt} is empty
 * for plain text. The completion (and EOS) is what gets trained by default.
 */
public record PlainText(String prompt, String completion) implements Conversation {
  public PlainText {
    if (prompt == null || completion == null) {
      throw new IllegalArgumentException("Cannot make plain text: prompt and completion must not be null");
    }
  }
}
