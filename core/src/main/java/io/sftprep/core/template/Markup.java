package io.sftprep.core.template;

/**
 * MarkupSafe's {@code Markup}: text marked safe by {@code |safe} or produced by {@code |escape}. Autoescaping is off
 * in chat templates, so it prints as plain text; it matters only in {@code +}, where Python escapes the other
 * operand ({@code "<"|safe + "<"} is {@code <&lt;}).
 */
final class Markup implements CharSequence {
  final String text;

  Markup(String text) {
    this.text = text;
  }

  static String escape(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep;
      switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&#34;"; break;
        case '\'': rep = "&#39;"; break;
        default: rep = null;
      }
      if (rep != null) {
        if (sb == null) sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        sb.append(rep);
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public char charAt(int index) {
    return text.charAt(index);
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return text.subSequence(start, end);
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Markup && ((Markup) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
