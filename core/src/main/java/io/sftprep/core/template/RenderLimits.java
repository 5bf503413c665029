package io.sftprep.core.template;

import java.time.Duration;

/**
 * Bounds on one render, so a hostile or broken template cannot hang or exhaust a task: wall time, size of the
 * output and of any string or list built on the way, depth of macro recursion, and loop iterations.
 *
 * <pre>{@code RenderLimits.DEFAULT  ->  2 s, 16M chars, depth 200, 10M iterations}</pre>
 */
public record RenderLimits(Duration maxTime, long maxOutputChars, int maxDepth, long maxIterations) {
  public static final RenderLimits DEFAULT = new RenderLimits(Duration.ofSeconds(2), 16L << 20, 200, 10_000_000L);

  public RenderLimits {
    if (maxTime == null || maxTime.isNegative() || maxTime.isZero()) {
      throw new IllegalArgumentException("Cannot render: max time must be positive, got " + maxTime);
    }
    if (maxOutputChars <= 0) {
      throw new IllegalArgumentException("Cannot render: max output chars must be positive, got " + maxOutputChars);
    }
    if (maxDepth <= 0) throw new IllegalArgumentException("Cannot render: max depth must be positive, got " + maxDepth);
    if (maxIterations <= 0) {
      throw new IllegalArgumentException("Cannot render: max iterations must be positive, got " + maxIterations);
    }
  }
}
