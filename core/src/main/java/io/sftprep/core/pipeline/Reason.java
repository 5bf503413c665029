package io.sftprep.core.pipeline;

import java.util.Locale;

/**
 * Why a record was not turned into a training sample. Every dropped record carries one, so
 * lines read = records written + records rejected, per file, exactly. {@link #key()} is the name in stats,
 * rejects and the manifest ({@code "no-trainable-tokens"}).
 */
public enum Reason {
  INVALID_UTF8("the line is not valid UTF-8"),
  INVALID_JSON("the line is not valid JSON"),
  NOT_AN_OBJECT("the JSON value is not an object"),
  UNKNOWN_FORMAT("no known SFT layout matches the record's keys"),
  BAD_FIELD("a field has the wrong type or shape"),
  EMPTY_CONVERSATION("the conversation has no messages"),
  UNKNOWN_ROLE("a message has a role sftprep does not know"),
  UNSUPPORTED_CONTENT("a message holds content other than text"),
  INVALID_UNICODE("the text holds a lone surrogate, which no tokenizer accepts"),
  NO_ASSISTANT_TURN("nothing in the record is to be trained on"),
  TEMPLATE_ERROR("the chat template raised an error"),
  TEMPLATE_REWRITES_HISTORY("the template renders an earlier turn differently once later turns exist"),
  AMBIGUOUS_END_OF_TURN("the end of an assistant turn cannot be told from end-of-turn text inside it"),
  MASK_FLAGS_UNSUPPORTED("per-message training flags change the mask, but mask.source=generation cannot apply them"),
  SPECIAL_TOKEN_IN_CONTENT("content holds the literal text of a special token (content.special-tokens=reject)"),
  TOO_LONG("the sample is longer than max-length"),
  NO_TRAINABLE_TOKENS("no token is left to train on"),
  INTERNAL_ERROR("sftprep failed on this record (a bug: please report it)");

  private final String description;

  Reason(String description) {
    this.description = description;
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public String description() {
    return description;
  }

  public static Reason fromKey(String key) {
    return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
