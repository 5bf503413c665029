package io.sftprep.core.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The state of one render: variables, output, generation spans, and the limits being enforced. */
final class Interpreter {
  final Map<String, Object> vars;
  final Map<String, Object> globals;
  final StringBuilder root;
  final List<int[]> generationSpans = new ArrayList<>();
  private final RenderLimits limits;
  private final long deadline;
  private long steps;
  private int depth;

  Interpreter(Map<String, Object> vars, Map<String, Object> globals, RenderLimits limits) {
    this.vars = vars;
    this.globals = globals;
    this.limits = limits;
    this.root = new StringBuilder(1024);
    this.deadline = System.nanoTime() + limits.maxTime().toNanos();
  }

  Object resolve(Scope scope, String name) {
    Object v = scope.lookup(name);
    if (v != Scope.NOT_FOUND) return v;
    v = vars.get(name);
    if (v != null || vars.containsKey(name)) return v;
    v = globals.get(name);
    if (v != null) return v;
    return Undefined.name(name);
  }

  /** Counts one unit of work (a loop iteration, a macro call); stops the render past its limits. */
  void step() {
    if (++steps > limits.maxIterations()) {
      throw new TemplateException("SecurityError", "render stopped: more than " + limits.maxIterations()
          + " loop iterations");
    }
    if ((steps & 0xff) == 0 && System.nanoTime() > deadline) {
      throw new TemplateException("SecurityError", "render stopped: took longer than " + limits.maxTime());
    }
  }

  void checkSize(long chars) {
    if (chars > limits.maxOutputChars()) {
      throw new TemplateException("SecurityError", "render stopped: a value or the output grew past "
          + limits.maxOutputChars() + " characters");
    }
  }

  void enter() {
    if (++depth > limits.maxDepth()) {
      throw new TemplateException("SecurityError", "render stopped: recursion deeper than " + limits.maxDepth());
    }
    step();
  }

  void leave() {
    depth--;
  }
}
