package io.sftprep.core.template;

/**
 * A template failed where Python's jinja2 would have raised too. {@link #pythonType()} names the exception class
 * Python raises ({@code TemplateError} for a template's own {@code raise_exception}, {@code UndefinedError},
 * {@code TypeError}, {@code TemplateSyntaxError}, {@code SecurityError}, ...) and the message is Python's message,
 * so a rejected record's reason reads the same as the error a user of transformers would see.
 */
public final class TemplateException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String pythonType;
  private final int line;

  public TemplateException(String pythonType, String message) {
    this(pythonType, message, 0);
  }

  TemplateException(String pythonType, String message, int line) {
    super(message, null, false, false);
    this.pythonType = pythonType;
    this.line = line;
  }

  /** The template line a syntax error is on; 0 for errors raised while rendering. */
  public int line() {
    return line;
  }

  public String pythonType() {
    return pythonType;
  }

  /** {@code "TypeError: can only concatenate str (not \"dict\") to str"}, with {@code " (line N)"} when known. */
  public String describe() {
    return pythonType + ": " + getMessage() + (line > 0 ? " (line " + line + ")" : "");
  }

  @Override
  public String toString() {
    return "TemplateException: " + describe();
  }

  static TemplateException typeError(String message) {
    return new TemplateException("TypeError", message);
  }

  static TemplateException syntax(String message, int line) {
    return new TemplateException("TemplateSyntaxError", message, line);
  }
}
