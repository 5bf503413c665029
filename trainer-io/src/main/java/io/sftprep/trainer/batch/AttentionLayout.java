package io.sftprep.trainer.batch;

/**
 * How a batch states which positions may attend to which (the samples packed into a row must not see each other).
 *
 * <ul>
 *   <li>{@link #BLOCK_MASK}: {@code attention_mask}, boolean {@code (B, T, T)}, true where query {@code i} and key
 *       {@code j} belong to the same sample of the row (each row's padding is one more block of its own). Not
 *       causal: the model ands it with its causal mask. Memory grows with {@code T²}.
 *   <li>{@link #CU_SEQLENS}: {@code cu_seqlens}, int32 {@code (S + 1)}, the cumulative lengths a varlen attention
 *       kernel (FlashAttention's {@code flash_attn_varlen_func}) takes over the batch flattened to {@code B * T}
 *       tokens, each row's padding counted as one more sequence so the offsets cover every token; and
 *       {@code max_seqlen}, int32 {@code (1)}.
 * </ul>
 */
public enum AttentionLayout {
  BLOCK_MASK,
  CU_SEQLENS
}
