package io.sftprep.core.mask;

import java.util.List;
import java.util.Set;

/**
 * The masking settings: the policy, the roles for {@link MaskPolicy#ROLES}, end-of-turn strings to use instead
 * of the detected one, whether the end-of-turn token is trained, and what to do with content that holds the
 * literal text of a special token.
 *
 * <pre>{@code MaskOptions.DEFAULTS  ->  assistant, roles [assistant], detected EOT, EOT trained, keep}</pre>
 */
public record MaskOptions(MaskPolicy policy, Set<String> roles, List<String> eotTokens, EotTraining eot,
    SpecialTokenText specialText, MaskSource source) implements java.io.Serializable {
  public static final MaskOptions DEFAULTS = new MaskOptions(MaskPolicy.ASSISTANT, Set.of("assistant"), List.of(),
      EotTraining.TRAIN, SpecialTokenText.KEEP, MaskSource.AUTO);

  /** Whether a turn's end-of-turn token is part of what it trains ({@code mask.train-eot}). */
  public enum EotTraining { TRAIN, SKIP }

  /** {@code content.special-tokens}: keep such records (as transformers does) or reject them. */
  public enum SpecialTokenText { KEEP, REJECT }

  /**
   * Where assistant spans come from: {@code auto} uses the template's {@code {% generation %}} blocks when it has
   * them and the prefix rule otherwise; {@code generation} requires blocks; {@code prefix} ignores them.
   */
  public enum MaskSource { AUTO, GENERATION, PREFIX }

  public MaskOptions {
    roles = Set.copyOf(roles);
    eotTokens = List.copyOf(eotTokens);
    if (policy == MaskPolicy.ROLES && roles.isEmpty()) {
      throw new IllegalArgumentException("Cannot mask: mask.policy=roles needs mask.roles, got none");
    }
  }

  public MaskOptions withPolicy(MaskPolicy p) {
    return new MaskOptions(p, roles, eotTokens, eot, specialText, source);
  }
}
