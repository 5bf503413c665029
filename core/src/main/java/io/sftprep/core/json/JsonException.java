package io.sftprep.core.json;

/** A JSON text that could not be parsed; the message says what was expected and where. */
public final class JsonException extends Exception {
  private static final long serialVersionUID = 1L;

  public JsonException(String message) {
    super(message);
  }
}
