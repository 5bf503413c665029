package io.sftprep.core.tokenize;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event around each native tokenizer call, so a flight recording shows the time spent in the tokenizer's
 * native code, which JFR's execution sampler cannot see (it samples threads running Java code only).
 * {@code sftprep bench} sums these; when no recording is on, the event costs nothing.
 */
@Name("io.sftprep.Tokenize")
@Label("Tokenize")
@Category("sftprep")
@Description("One native encode call of the Hugging Face tokenizer, with the Java-side conversion of its result")
@StackTrace(false)
final class TokenizeEvent extends jdk.jfr.Event {
  @Label("Characters")
  int chars;

  @Label("Tokens")
  int tokens;
}
