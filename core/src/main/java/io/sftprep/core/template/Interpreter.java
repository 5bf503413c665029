package io.sftprep.core.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The state of one render: variables, output, generation spans, and the limits being enforced. */
final class Interpreter {
  private final Map<String, Object> vars;
  private final Map<String, Object> defaults;
  private final Map<String, Object> globals;
  final StringBuilder root;
  final List<int[]> generationSpans = new ArrayList<>();
  private final RenderLimits limits;
  private final long deadline;
  private final long maxBuilt;
  private long steps;
  private long built;
  private long ticks;
  private int depth;

  /** Names resolve in {@code vars}, then {@code defaults} (a renderer's fixed keywords), then {@code globals}. */
  Interpreter(Map<String, Object> vars, Map<String, Object> defaults, Map<String, Object> globals,
      RenderLimits limits, int expectedChars) {
    this.vars = vars;
    this.defaults = defaults;
    this.globals = globals;
    this.limits = limits;
    this.root = new StringBuilder(expectedChars);
    this.deadline = System.nanoTime() + limits.maxTime().toNanos();
    this.maxBuilt = Py.saturatedProduct(limits.maxOutputChars(), BUILT_FACTOR);
  }

  /** The values one render builds may add up to this many times the output limit (see {@link RenderLimits}). */
  static final int BUILT_FACTOR = 8;

  private static final ThreadLocal<Interpreter> CURRENT = new ThreadLocal<>();

  /** The render running on this thread, for the few walks over values that have no interpreter at hand. */
  static Interpreter current() {
    return CURRENT.get();
  }

  /** Runs {@code body} as this thread's current render. */
  void run(Runnable body) {
    Interpreter outer = CURRENT.get();
    CURRENT.set(this);
    try {
      body.run();
    } finally {
      CURRENT.set(outer); // not remove(): the thread renders again soon, and remove() costs a table clean-up
    }
  }

  /** One element of a walk over a value (comparing, printing); checks the time now and then. */
  void tick() {
    if ((++ticks & 0x3ff) == 0) checkTime();
  }

  Object resolve(Scope scope, String name) {
    Object v = scope.lookup(name);
    if (v != Scope.NOT_FOUND) return v;
    v = vars.get(name);
    if (v != null || vars.containsKey(name)) return v;
    v = defaults.get(name);
    if (v != null || defaults.containsKey(name)) return v;
    v = globals.get(name);
    if (v != null) return v;
    return Undefined.name(name);
  }

  /** Counts one unit of work (a loop iteration, a macro call); stops the render past its limits. */
  void step() {
    if (++steps > limits.maxIterations()) {
      throw new TemplateException("SecurityError", "render stopped: more than " + limits.maxIterations()
          + " loop iterations and macro calls (limit template.max-loop-iterations)");
    }
    if ((steps & 0xf) == 0) checkTime();
  }

  void checkTime() {
    if (System.nanoTime() > deadline) {
      throw new TemplateException("SecurityError", "render stopped: took longer than " + limits.maxTime().toMillis()
          + " ms (limit template.max-render-ms)");
    }
  }

  long maxOutputChars() {
    return limits.maxOutputChars();
  }

  /** Stops the render before it builds a value or output of {@code chars} characters (or list items). */
  void checkSize(long chars) {
    if (chars > limits.maxOutputChars()) {
      throw new TemplateException("SecurityError", "render stopped: a value or the output would grow past "
          + limits.maxOutputChars() + " characters (limit template.max-output-chars)");
    }
  }

  /**
   * A value of {@code chars} characters (or list items) was built: checks it as {@link #checkSize} does and adds it
   * to the total the render built, which may not pass {@value #BUILT_FACTOR} times the output limit (so a loop
   * cannot keep many large values alive).
   */
  void account(long chars) {
    checkSize(chars);
    long before = built;
    built += chars;
    if (built > maxBuilt) {
      throw new TemplateException("SecurityError", "render stopped: built more than " + maxBuilt
          + " characters of values (" + BUILT_FACTOR + " x template.max-output-chars)");
    }
    if ((before ^ built) >>> 20 != 0) checkTime(); // at every million characters built
  }

  /** Accounts for what a filter or method returned, unless it handed back its input. */
  Object built(Object input, Object result) {
    if (result != input) {
      if (result instanceof CharSequence) account(((CharSequence) result).length());
      else if (result instanceof java.util.Collection) account(((java.util.Collection<?>) result).size());
    }
    return result;
  }

  /** Entering a macro call or a recursive loop level; Python would raise RecursionError past its own limit. */
  void enter() {
    if (++depth > limits.maxDepth()) {
      throw new TemplateException("RecursionError", "maximum recursion depth exceeded: macro calls and recursive "
          + "loops nested deeper than " + limits.maxDepth() + " (limit template.max-recursion-depth)");
    }
    step();
  }

  void leave() {
    depth--;
  }
}
