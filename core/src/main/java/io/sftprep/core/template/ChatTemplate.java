package io.sftprep.core.template;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A Hugging Face chat template, parsed once and rendered many times, exactly as
 * {@code transformers.apply_chat_template(..., tokenize=False)} renders it: jinja2's immutable sandbox with
 * {@code trim_blocks}, {@code lstrip_blocks}, loop controls and the {@code {% generation %}} extension, plus
 * transformers' {@code tojson}, {@code raise_exception} and {@code strftime_now}.
 *
 * <p>Sandboxed by construction: a template sees only the plain values it is given (maps, lists, strings, numbers,
 * booleans, null) and the functions listed here; no Java object or method is reachable. {@link RenderLimits}
 * bounds time, output size and recursion. Thread-safe: one instance may render on many threads.
 *
 * <pre>{@code
 * ChatTemplate t = ChatTemplate.compile("{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}");
 * t.render(Map.of("messages", List.of(Map.of("role", "user", "content", "Hi")))).text()  ->  "<user>Hi"
 * }</pre>
 */
public final class ChatTemplate {
  private final String source;
  private final List<Stmt> body;
  private final Map<String, Object> globals;
  private final boolean hasGeneration;
  /** A recent output's length: the next render's buffer starts that large (racy on purpose: only a hint). */
  private int sizeHint = 1024;

  private ChatTemplate(String source, List<Stmt> body, Map<String, Object> globals) {
    this.source = source;
    this.body = body;
    this.globals = globals;
    this.hasGeneration = source.contains("generation") && containsGeneration(body);
  }

  /** Parses a template; {@code strftime_now} reads the system clock. */
  public static ChatTemplate compile(String source) {
    return compile(source, LocalDateTime::now);
  }

  /** Parses a template whose {@code strftime_now} reads {@code clock} (fixed in tests and for reproducible runs). */
  public static ChatTemplate compile(String source, Supplier<LocalDateTime> clock) {
    Objects.requireNonNull(source, "template source");
    return new ChatTemplate(source, Parser.parse(source), Builtins.globals(clock));
  }

  public String source() {
    return source;
  }

  /** True when the template marks assistant output with {@code {% generation %}} blocks. */
  public boolean hasGenerationBlocks() {
    return hasGeneration;
  }

  public Rendered render(Map<String, Object> variables) {
    return render(variables, RenderLimits.DEFAULT);
  }

  /**
   * Renders with the given variables ({@code messages}, {@code tools}, {@code add_generation_prompt}, special
   * tokens, any extra keyword). Throws {@link TemplateException} where Python would raise.
   */
  public Rendered render(Map<String, Object> variables, RenderLimits limits) {
    return render(variables, Map.of(), limits);
  }

  /** {@link #render(Map, RenderLimits)} where names missing from {@code variables} come from {@code defaults}. */
  Rendered render(Map<String, Object> variables, Map<String, Object> defaults, RenderLimits limits) {
    Interpreter in = new Interpreter(variables, defaults, globals, limits, sizeHint);
    try {
      in.run(() -> Stmt.execAll(body, in, new Scope(null), in.root));
    } catch (StackOverflowError e) {
      throw new TemplateException("RecursionError", "maximum recursion depth exceeded: the template nests deeper "
          + "than the Java stack allows");
    }
    int n = in.root.length();
    if (n > sizeHint || n < sizeHint / 4) sizeHint = Math.max(256, Math.min(1 << 20, n + n / 4));
    List<int[]> spans = in.generationSpans;
    List<Rendered.Span> out = new ArrayList<>(spans.size());
    for (int[] s : spans) out.add(new Rendered.Span(s[0], s[1]));
    return new Rendered(in.root.toString(), List.copyOf(out));
  }

  private static boolean containsGeneration(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Generation) return true;
      if (s instanceof Stmt.If) {
        Stmt.If i = (Stmt.If) s;
        for (List<Stmt> b : i.bodies) if (containsGeneration(b)) return true;
        if (containsGeneration(i.otherwise)) return true;
      } else if (s instanceof Stmt.For) {
        Stmt.For f = (Stmt.For) s;
        if (containsGeneration(f.body) || containsGeneration(f.otherwise)) return true;
      } else if (s instanceof Stmt.MacroDef) {
        if (containsGeneration(((Stmt.MacroDef) s).body)) return true;
      } else if (s instanceof Stmt.CallBlock) {
        if (containsGeneration(((Stmt.CallBlock) s).callerDef.body)) return true;
      } else if (s instanceof Stmt.With) {
        if (containsGeneration(((Stmt.With) s).body)) return true;
      } else if (s instanceof Stmt.SetBlock) {
        if (containsGeneration(((Stmt.SetBlock) s).body)) return true;
      } else if (s instanceof Stmt.FilterBlock) {
        if (containsGeneration(((Stmt.FilterBlock) s).body)) return true;
      }
    }
    return false;
  }
}
