package io.sftprep.core.pipeline;

import java.util.Locale;

/**
 * What happens to a sample longer than {@code max-length} tokens ({@code overflow}): {@code drop} it (the
 * default: never train on a reply cut short), {@code truncate} it to its head (dropped if no trained token is
 * left), or {@code split} it into consecutive pieces (plain text only).
 */
public record LengthOptions(int maxLength, Overflow overflow) implements java.io.Serializable {
  public enum Overflow {
    DROP, TRUNCATE, SPLIT;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Overflow fromKey(String key) {
      try {
        return valueOf(key.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown overflow '" + key + "': expected drop, truncate or split");
      }
    }
  }

  public LengthOptions {
    if (maxLength <= 0) throw new IllegalArgumentException("Cannot bound length: max-length must be positive, got "
        + maxLength);
  }
}
