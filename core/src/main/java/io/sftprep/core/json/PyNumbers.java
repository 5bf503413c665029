package io.sftprep.core.json;

import java.math.BigDecimal;
import java.math.MathContext;

/** Python's text forms of numbers, which templates and {@code json.dumps} print. */
public final class PyNumbers {
  private PyNumbers() {}

  /**
   * {@code repr(float)} as Python 3 prints it: the shortest digits that read back to the same double,
   * positional between 1e-4 and 1e16, scientific with a signed two-digit exponent otherwise.
   * <pre>{@code 1.0 -> "1.0", 1e16 -> "1e+16", 1.5e-05 -> "1.5e-05", 0.1 + 0.2 -> "0.30000000000000004"}</pre>
   */
  public static String floatRepr(double d) {
    if (Double.isNaN(d)) return "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
    String digits;
    int decpt; // value = 0.DIGITS * 10^decpt
    BigDecimal exact = new BigDecimal(Math.abs(d));
    BigDecimal shortest = null;
    for (int p = 1; p <= 17; p++) {
      BigDecimal r = exact.round(new MathContext(p));
      if (r.doubleValue() == Math.abs(d)) {
        shortest = r;
        break;
      }
    }
    if (shortest == null) shortest = exact.round(new MathContext(17));
    BigDecimal stripped = shortest.stripTrailingZeros();
    digits = stripped.unscaledValue().toString();
    decpt = digits.length() - stripped.scale();
    StringBuilder sb = new StringBuilder(24);
    if (d < 0) sb.append('-');
    if (decpt > -4 && decpt <= 16) {
      if (decpt <= 0) {
        sb.append("0.");
        for (int i = 0; i < -decpt; i++) sb.append('0');
        sb.append(digits);
      } else if (decpt >= digits.length()) {
        sb.append(digits);
        for (int i = digits.length(); i < decpt; i++) sb.append('0');
        sb.append(".0");
      } else {
        sb.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
      }
    } else {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
      int exp = decpt - 1;
      sb.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) sb.append('0');
      sb.append(a);
    }
    return sb.toString();
  }
}
