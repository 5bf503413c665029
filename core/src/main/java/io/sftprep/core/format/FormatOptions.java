package io.sftprep.core.format;

/**
 * How records are read: a forced {@link Format} (null detects per record) and the field names, as Axolotl's
 * {@code field_messages} / {@code message_property_mappings} allow.
 *
 * <pre>{@code new FormatOptions(null, "messages", "role", "content")   // the defaults}</pre>
 */
public record FormatOptions(Format forced, String messagesField, String roleKey, String contentKey)
    implements java.io.Serializable {
  public static final FormatOptions DEFAULTS = new FormatOptions(null, "messages", "role", "content");

  public FormatOptions {
    if (messagesField == null || messagesField.isEmpty()) {
      throw new IllegalArgumentException("Cannot read records: messages-field must not be empty");
    }
    if (roleKey == null || roleKey.isEmpty()) {
      throw new IllegalArgumentException("Cannot read records: role key must not be empty");
    }
    if (contentKey == null || contentKey.isEmpty()) {
      throw new IllegalArgumentException("Cannot read records: content key must not be empty");
    }
  }
}
