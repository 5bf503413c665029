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
   * them (policy {@code assistant}, no per-message flag changing which turns are trained, end-of-turn tokens
   * trained) and the prefix rule otherwise;
   * {@code generation} always uses the blocks (policy {@code assistant} only; a record whose flags would change the
   * selection is rejected); {@code prefix} ignores them.
   */
  public enum MaskSource { AUTO, GENERATION, PREFIX }

  public MaskOptions {
    roles = Set.copyOf(roles);
    eotTokens = List.copyOf(eotTokens);
    if (policy == MaskPolicy.ROLES && roles.isEmpty()) {
      throw new IllegalArgumentException("Cannot mask: mask.policy=roles needs mask.roles, got none");
    }
    if (source == MaskSource.GENERATION && policy != MaskPolicy.ASSISTANT) {
      throw new IllegalArgumentException("Cannot mask: mask.source=generation trains the template's generation "
          + "blocks, which mark every assistant turn, so it only goes with mask.policy=assistant, got "
          + policy.key() + "; use mask.source=auto");
    }
    if (source == MaskSource.GENERATION && eot == EotTraining.SKIP) {
      throw new IllegalArgumentException("Cannot mask: mask.source=generation trains the template's generation "
          + "blocks, which hold each turn's end-of-turn token, so it cannot apply mask.train-eot=false; use "
          + "mask.source=auto");
    }
  }

  public MaskOptions withPolicy(MaskPolicy p) {
    return new MaskOptions(p, roles, eotTokens, eot, specialText, source);
  }
}
