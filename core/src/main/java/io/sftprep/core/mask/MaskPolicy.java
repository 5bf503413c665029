package io.sftprep.core.mask;

import java.util.Locale;

/**
 * Which tokens a sample trains on (config {@code mask.policy}). Per-message flags ({@code loss_weight},
 * {@code weight}, {@code train}) override the policy for their message under every policy but {@code all}.
 */
public enum MaskPolicy {
  /** Every assistant turn, from the end of its generation prompt through its end-of-turn token (the default). */
  ASSISTANT,
  /** Every token, prompt included. */
  ALL,
  /** Only the final assistant turn (LLaMA-Factory's {@code mask_history}). */
  LAST_ASSISTANT,
  /** The messages whose role is listed in {@code mask.roles}. */
  ROLES,
  /** Only the completion of a prompt/completion record, with its end-of-turn token (TRL's completion-only loss). */
  COMPLETION;

  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static MaskPolicy fromKey(String key) {
    try {
      return valueOf(key.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown mask.policy '" + key + "': expected assistant, all, "
          + "last-assistant, roles or completion");
    }
  }
}
