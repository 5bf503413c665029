package io.sftprep.core.template;

import java.time.Duration;

/**
 * Bounds on one render, so a hostile or broken template cannot hang or exhaust a task. Each is a config key:
 * wall time ({@code template.max-render-ms}); the size of the output and of any string or list built on the way
 * ({@code template.max-output-chars}; the values one render builds may add up to 8 times that, so a loop cannot
 * keep many large values alive); the depth of macro calls and recursive loops ({@code template.max-recursion-depth},
 * a {@code RecursionError} as in Python); loop iterations plus macro calls ({@code template.max-loop-iterations}).
 * Past a limit the render stops with a {@link TemplateException} that names it. Fixed bounds come on top: ranges
 * of at most 100,000 items (jinja2's own), ints of at most 2**20 bits, 100 levels of nesting in the source.
 *
 * <pre>{@code RenderLimits.DEFAULT  ->  2 s, 16M chars, depth 200, 10M iterations}</pre>
 */
public record RenderLimits(Duration maxTime, long maxOutputChars, int maxDepth, long maxIterations)
    implements java.io.Serializable {
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
