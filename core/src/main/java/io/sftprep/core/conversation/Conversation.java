package io.sftprep.core.conversation;

/**
 * What one input record becomes once its layout is understood: a {@link Chat} to render with the model's chat
 * template, or {@link PlainText} to tokenize as it is (continued pretraining, plain prompt/completion).
 */
public sealed interface Conversation permits Chat, PlainText {}
