package io.sftprep.trainer.batch;

/**
 * How long a batch's rows are made: to its longest row ({@link #longest()}), to the next multiple of {@code n}
 * above it ({@link #multipleOf}, kernels like multiples of 8 or 64), or always to {@code n} ({@link #fixed},
 * fixed shapes for compiled graphs; a longer row is an error). A batch of rows of 5 and 3 tokens is 5 long under
 * {@code longest()}, 8 under {@code multipleOf(8)}, 16 under {@code fixed(16)}.
 */
public record Padding(Kind kind, int n) {
  public enum Kind { LONGEST, MULTIPLE_OF, FIXED }

  public Padding {
    if (kind == null) throw new IllegalArgumentException("Padding kind must be given");
    if (kind != Kind.LONGEST && n <= 0) {
      throw new IllegalArgumentException("Cannot pad to " + kind + ": length must be positive, got " + n);
    }
  }

  public static Padding longest() {
    return new Padding(Kind.LONGEST, 0);
  }

  public static Padding multipleOf(int n) {
    return new Padding(Kind.MULTIPLE_OF, n);
  }

  public static Padding fixed(int length) {
    return new Padding(Kind.FIXED, length);
  }

  /** The batch length for a batch whose longest row has {@code longest} tokens. */
  public int lengthFor(int longest) {
    return switch (kind) {
      case LONGEST -> longest;
      case MULTIPLE_OF -> Math.max(n, (longest + n - 1) / n * n);
      case FIXED -> {
        if (longest > n) {
          throw new IllegalArgumentException(
              "Cannot pad to a fixed length of " + n + ": the batch has a row of " + longest + " tokens");
        }
        yield n;
      }
    };
  }
}
