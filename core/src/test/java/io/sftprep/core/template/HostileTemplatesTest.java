package io.sftprep.core.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.testing.PythonTemplates;
import io.sftprep.core.testing.PythonTemplates.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates that try to leave the sandbox or exhaust the task, each with what the engine must do: refuse it with
 * the error Python's {@code ImmutableSandboxedEnvironment} raises, render the same harmless text, or, where Python
 * would hang or eat memory, stop at a limit of {@link RenderLimits} that the error names. The {@code python} column
 * says what transformers does with the same template; {@link #pythonAgreesWithTheTable} checks it against the
 * reference venv, so the table cannot drift from Python.
 */
class HostileTemplatesTest {
  /** What transformers (jinja2 3.1.6, CPython 3.11) does with the template. */
  enum Python {
    /** the same output, or an error of the same type whose message holds the same fragment */
    SAME,
    /** an error too, of another type */
    OTHER_ERROR,
    /** runs for ever (not run) */
    HANGS,
    /** allocates until MemoryError (not run) */
    EATS_MEMORY,
    /** renders text far past the output limit (not run) */
    PAST_LIMIT,
    /** renders random text (not run) */
    RANDOM
  }

  /** An output, or an error type with a fragment of its message. */
  record Expect(String output, String errorType, String fragment) {
    boolean matches(Outcome o) {
      if (output != null) return !o.isError() && output.equals(withoutAddresses(o.output()));
      return o.isError() && errorType.equals(o.errorType()) && o.message().contains(fragment);
    }

    @Override
    public String toString() {
      return output != null ? "output '" + output + "'" : errorType + " containing '" + fragment + "'";
    }
  }

  record Row(String name, String template, Expect java, Python python) {}

  static Expect out(String text) {
    return new Expect(text, null, null);
  }

  static Expect err(String type, String fragment) {
    return new Expect(null, type, fragment);
  }

  static Row row(String name, String template, Expect java, Python python) {
    return new Row(name, template, java, python);
  }

  static final String SIZE = "limit template.max-output-chars";
  static final String STOPPED = "render stopped";
  static final String DEPTH = "maximum recursion depth exceeded";

  static Expect unsafe(String attr, String type) {
    return err("SecurityError", "access to attribute '" + attr + "' of '" + type + "' object is unsafe.");
  }

  static String nested(String open, String inner, String close, int n) {
    return open.repeat(n) + inner + close.repeat(n);
  }

  static final List<Row> TABLE = List.of(
      // ---- attribute walks toward classes, globals and Java
      row("strClassPrintsAsNothing", "{{ ''.__class__ }}", out(""), Python.SAME),
      row("strClassMroSubclasses", "{{ ''.__class__.__mro__[1].__subclasses__() }}", unsafe("__class__", "str"),
          Python.SAME),
      row("listClassName", "{{ messages.__class__.__name__ }}", unsafe("__class__", "list"), Python.SAME),
      row("dictClass", "{{ messages[0].__class__.bar }}", unsafe("__class__", "dict"), Python.SAME),
      row("dictClassByItem", "{{ messages[0]['__class__'].x }}", unsafe("__class__", "dict"), Python.SAME),
      row("strClassByItem", "{{ ''['__class__'].x }}", unsafe("__class__", "str"), Python.SAME),
      row("intClassBase", "{{ (1).__class__.__base__ }}", unsafe("__class__", "int"), Python.SAME),
      row("undefinedClass", "{{ nothing.__class__.__mro__ }}", unsafe("__class__", "Undefined"), Python.SAME),
      row("cyclerInitGlobals", "{{ cycler.__init__.__globals__ }}", unsafe("__init__", "type"), Python.SAME),
      row("joinerInitGlobalsOs", "{{ joiner.__init__.__globals__.os }}", unsafe("__init__", "type"), Python.SAME),
      row("namespaceInitGlobals", "{{ namespace.__init__.__globals__ }}", unsafe("__init__", "type"), Python.SAME),
      row("lipsumGlobalsPrintAsNothing", "{{ lipsum.__globals__ }}", out(""), Python.SAME),
      row("lipsumGlobalsOs", "{{ lipsum.__globals__.os }}", unsafe("__globals__", "function"), Python.SAME),
      row("rangeGlobals", "{{ range.__globals__.x }}", unsafe("__globals__", "function"), Python.SAME),
      row("raiseExceptionGlobals", "{{ raise_exception.__globals__.json }}", unsafe("__globals__", "function"),
          Python.SAME),
      row("strftimeNowGlobals", "{{ strftime_now.__globals__.datetime }}", unsafe("__globals__", "function"),
          Python.SAME),
      row("dictMro", "{{ dict.mro() }}", unsafe("mro", "type"), Python.SAME),
      row("selfPrints", "{{ self }}", out("<TemplateReference None>"), Python.SAME),
      row("selfContext", "{{ self._TemplateReference__context.x }}",
          unsafe("_TemplateReference__context", "TemplateReference"), Python.SAME),
      row("selfInitGlobals", "{{ self.__init__.__globals__ }}", unsafe("__init__", "TemplateReference"), Python.SAME),
      row("loopClassPrintsAsNothing", "{% for m in messages %}{{ loop.__class__.__init__ }}{% endfor %}", out(""),
          Python.SAME),
      row("loopIterator", "{% for m in messages %}{{ loop._iterator.x }}{% endfor %}",
          unsafe("_iterator", "LoopContext"), Python.SAME),
      row("loopInitGlobals", "{% for m in messages %}{{ loop.__init__.__globals__ }}{% endfor %}",
          unsafe("__init__", "LoopContext"), Python.SAME),
      row("macroEnvironment", "{% macro m() %}x{% endmacro %}{{ m._environment.globals }}",
          unsafe("_environment", "Macro"), Python.SAME),
      row("macroGlobals", "{% macro m() %}{{ m.__globals__ }}{% endmacro %}{{ m() }}", out(""), Python.SAME),
      row("namespaceAttrs", "{% set ns = namespace(a=1) %}{{ ns._Namespace__attrs.x }}",
          unsafe("_Namespace__attrs", "Namespace"), Python.SAME),
      row("namespaceClass", "{{ namespace(a=1).__class__.x }}", unsafe("__class__", "Namespace"), Python.SAME),
      row("boundMethodSelf", "{{ ''.upper.__self__.x }}", unsafe("__self__", "builtin_function_or_method"),
          Python.SAME),
      row("javaGetClassOnList", "{{ messages.getClass() }}",
          err("UndefinedError", "'list object' has no attribute 'getClass'"), Python.SAME),
      row("javaGetClassOnStr", "{{ ''.getClass() }}",
          err("UndefinedError", "'str object' has no attribute 'getClass'"), Python.SAME),
      row("javaClassField", "{{ \"\".class.forName }}", err("UndefinedError", "'str object' has no attribute 'class'"),
          Python.SAME),
      row("notARealAttributeIsPlainUndefined", "{{ ''.__foo__.x }}",
          err("UndefinedError", "'str object' has no attribute '__foo__'"), Python.SAME),
      row("attrFilterWalk", "{{ (messages|attr('__class__')).__mro__ }}", unsafe("__class__", "list"), Python.SAME),
      row("attrFilterIsNoItemLookup", "{{ messages[0]|attr('role') }}", out(""), Python.SAME),
      row("mapAttributeClass", "{{ messages|map(attribute='__class__')|list }}", out("[Undefined]"), Python.SAME),
      row("formatFieldClass", "{{ '{0.__class__}'.format(messages) }}", out(""), Python.SAME),
      row("formatFieldClassMro", "{{ '{0.__class__.__mro__}'.format('') }}", unsafe("__class__", "str"),
          Python.SAME),
      row("formatMapOfAList", "{{ '{0.__class__}'.format_map(messages) }}",
          err("IndexError", "tuple index out of range"), Python.SAME),
      row("percentFormatIsHarmless", "{{ '%s'|format(messages) }}", out("[{'role': 'user', 'content': 'hi'}]"),
          Python.SAME),
      row("strFormatGlobals", "{{ ''.format.__globals__.x }}", unsafe("__globals__", "function"), Python.SAME),
      row("cyclerMethodFunc", "{{ cycler(1).next.__func__.x }}", unsafe("__func__", "method"), Python.SAME),
      row("loopCycleFunc", "{% for m in messages %}{{ loop.cycle.__func__.x }}{% endfor %}",
          unsafe("__func__", "method"), Python.SAME),
      row("callerInternals", "{% macro m() %}{{ caller._func.x }}{% endmacro %}{% call m() %}x{% endcall %}",
          unsafe("_func", "Macro"), Python.SAME),
      row("joinerCall", "{{ joiner().__call__.x }}", unsafe("__call__", "Joiner"), Python.SAME),
      row("dictGetSelf", "{{ messages[0].get.__self__.x }}", unsafe("__self__", "builtin_function_or_method"),
          Python.SAME),
      row("raiseExceptionCode", "{{ raise_exception.__code__.x }}", unsafe("__code__", "function"), Python.SAME),
      row("undefinedGetattr", "{{ nothing.__getattr__.x }}", unsafe("__getattr__", "Undefined"), Python.SAME),
      row("noneClass", "{{ none.__class__.x }}", unsafe("__class__", "NoneType"), Python.SAME),
      row("rangeObjectClass", "{{ range(3).__class__.x }}", unsafe("__class__", "range"), Python.SAME),
      row("dictItemsClass", "{{ messages[0].items().__class__.x }}", unsafe("__class__", "dict_items"), Python.SAME),
      row("dictItemsPrintAsPython", "{{ messages[0].items() }}", out("dict_items([('role', 'user'), ('content', "
          + "'hi')])"), Python.SAME),
      row("percentFormatKeyClass", "{{ '%(__class__)s' % messages[0] }}", err("KeyError", "'__class__'"),
          Python.SAME),
      row("sliceOfADict", "{{ messages[0][1:] }}", err("TypeError", "unhashable type: 'slice'"), Python.SAME),
      row("selfReferencingNamespace", "{% set ns = namespace(l=[]) %}{% set ns.l = [ns] %}{{ ns }}",
          out("<Namespace {'l': [<Namespace {...}>]}>"), Python.SAME),
      row("lipsumRefusesToRun", "{{ lipsum() }}", err("TemplateRuntimeError", "lipsum() is not supported"),
          Python.RANDOM),

      // ---- the immutable sandbox: no method that changes a list or dict
      row("listAppend", "{{ messages.append(1) }}", unsafe("append", "list"), Python.SAME),
      row("listPop", "{{ messages.pop() }}", unsafe("pop", "list"), Python.SAME),
      row("listSort", "{{ messages.sort() }}", unsafe("sort", "list"), Python.SAME),
      row("dictUpdate", "{{ messages[0].update({'a': 1}) }}", unsafe("update", "dict"), Python.SAME),
      row("dictPop", "{{ messages[0].pop('role') }}", unsafe("pop", "dict"), Python.SAME),
      row("dictClear", "{{ messages[0].clear() }}", unsafe("clear", "dict"), Python.SAME),
      row("listAppendPrintsAsNothing", "{{ messages.append }}", out(""), Python.SAME),
      row("literalListAppendPrintsAsNothing", "{{ [].append }}", out(""), Python.SAME),
      row("literalListAppend", "{{ [].append(1) }}", unsafe("append", "list"), Python.SAME),
      row("appendByItem", "{{ messages['append'](1) }}", unsafe("append", "list"), Python.SAME),
      row("appendByAttrFilter", "{{ (messages|attr('append'))(1) }}", unsafe("append", "list"), Python.SAME),
      row("tupleHasNoAppend", "{% set c = cycler(1, 2) %}{{ c.items.append(3) }}",
          err("UndefinedError", "'tuple object' has no attribute 'append'"), Python.SAME),
      row("messagesAreUnchanged", "{% set x = messages.copy() %}{{ messages|length }}{{ messages[0].role }}",
          out("1user"), Python.SAME),

      // ---- huge loops
      row("rangePastMaxRange", "{{ range(10**9)|length }}", err("OverflowError", "Range too big"), Python.SAME),
      row("rangeAtMaxRange", "{{ range(100000)|length }}", out("100000"), Python.SAME),
      row("nestedHugeLoops", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
          err("SecurityError", STOPPED), Python.HANGS),
      row("exponentialMacroCalls",
          "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
          err("SecurityError", STOPPED), Python.HANGS),

      // ---- exponential growth and big multiplication
      row("stringTimesTenBillion", "{{ 'a' * 10**10 }}", err("SecurityError", SIZE), Python.EATS_MEMORY),
      row("listTimesBillion", "{{ [1] * 10**9 }}", err("SecurityError", SIZE), Python.EATS_MEMORY),
      row("stringTimesTwoToThe62", "{{ 'ab' * 2**62 }}", err("SecurityError", SIZE), Python.OTHER_ERROR),
      row("repeatCountPastSsize", "{{ 'a' * (2**64 + 1) }}", err("OverflowError", "index-sized integer"),
          Python.SAME),
      row("doublingWithTilde", "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
          + "{% endfor %}", err("SecurityError", SIZE), Python.EATS_MEMORY),
      row("doublingWithPlus", "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}"
          + "{% endfor %}", err("SecurityError", SIZE), Python.EATS_MEMORY),
      row("doublingWithTimes", "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s * 2 %}"
          + "{% endfor %}", err("SecurityError", SIZE), Python.EATS_MEMORY),
      row("doublingWithJoin", "{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
          + "{% set ns.s = [ns.s, ns.s]|join %}{% endfor %}", err("SecurityError", SIZE), Python.EATS_MEMORY),
      row("doublingWithFormat", "{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
          + "{% set ns.s = '{}{}'.format(ns.s, ns.s) %}{% endfor %}", err("SecurityError", SIZE), Python.EATS_MEMORY),
      row("doublingWithPercent", "{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
          + "{% set ns.s = '%s%s' % (ns.s, ns.s) %}{% endfor %}", err("SecurityError", SIZE), Python.HANGS),
      row("doublingWithReplace", "{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
          + "{% set ns.s = ns.s.replace('a', 'aa') %}{% endfor %}", err("SecurityError", SIZE), Python.HANGS),
      row("doublingWithCenter", "{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
          + "{% set ns.s = ns.s|center(ns.s|length * 2) %}{% endfor %}", err("SecurityError", SIZE),
          Python.EATS_MEMORY),
      row("doublingAList", "{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set ns.l = ns.l + ns.l %}"
          + "{% endfor %}", err("SecurityError", SIZE), Python.EATS_MEMORY),
      row("nestingAListPrinted", "{% set ns = namespace(l=[1]) %}{% for i in range(64) %}"
          + "{% set ns.l = [ns.l, ns.l] %}{% endfor %}{{ ns.l }}", err("SecurityError", STOPPED), Python.HANGS),
      row("nestingAListAsJson", "{% set ns = namespace(l=[1]) %}{% for i in range(64) %}"
          + "{% set ns.l = [ns.l, ns.l] %}{% endfor %}{{ ns.l|tojson }}", err("SecurityError", STOPPED),
          Python.HANGS),
      row("nestingTwoListsCompared", "{% set ns = namespace(a=[1], b=[1]) %}{% for i in range(64) %}"
          + "{% set ns.a = [ns.a, ns.a] %}{% set ns.b = [ns.b, ns.b] %}{% endfor %}{{ ns.a == ns.b }}",
          err("SecurityError", "limit template.max-render-ms"), Python.HANGS),
      row("keepingManyBigStrings", "{% set ns = namespace(l=[]) %}{% set big = 'a' * 10**7 %}"
          + "{% for i in range(100000) %}{% set ns.l = ns.l + [big ~ i] %}{% endfor %}",
          err("SecurityError", "x template.max-output-chars"), Python.HANGS),
      row("replaceIntoATrillion", "{{ ('a' * 10**6).replace('a', 'a' * 10**6) }}", err("SecurityError", SIZE),
          Python.EATS_MEMORY),
      row("centerABillion", "{{ ''|center(10**9) }}", err("SecurityError", SIZE), Python.HANGS),
      row("formatWidthABillion", "{{ '{:>1000000000}'.format('') }}", err("SecurityError", SIZE), Python.PAST_LIMIT),
      row("percentWidthABillion", "{{ '%1000000000s' % '' }}", err("SecurityError", SIZE), Python.HANGS),
      row("percentPrecisionABillion", "{{ '%.1000000000f'|format(1.0) }}", err("SecurityError", SIZE),
          Python.HANGS),
      row("ljustABillion", "{{ 'x'.ljust(10**9) }}", err("SecurityError", SIZE), Python.PAST_LIMIT),
      row("zfillABillion", "{{ 'x'.zfill(10**9) }}", err("SecurityError", SIZE), Python.PAST_LIMIT),
      row("zfillPastSsize", "{{ ''.zfill(10**19) }}", err("OverflowError", "Python int too large"), Python.SAME),
      row("expandtabsABillion", "{{ '\\t'.expandtabs(10**9) }}", err("SecurityError", SIZE), Python.PAST_LIMIT),
      row("tojsonIndentABillion", "{{ messages|tojson(indent=10**9) }}", err("SecurityError", SIZE), Python.HANGS),
      row("batchFillABillion", "{{ [0]|batch(10**9, 0)|list }}", err("SecurityError", SIZE), Python.EATS_MEMORY),
      row("indentABillionWithoutNewlines", "{{ 'x'|indent(10**9) }}", out("x"), Python.SAME),
      row("hugeIntIsNotPrinted", "{{ 10**5000 }}", err("ValueError", "Exceeds the limit (4300 digits)"),
          Python.SAME),
      row("intPowerOfPower", "{{ (10 ** 10) ** (10 ** 10) > 1 }}", err("SecurityError", "integer would grow past"),
          Python.HANGS),
      row("intSquaredForty", "{% set ns = namespace(x=3) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}"
          + "{% endfor %}", err("SecurityError", "integer would grow past"), Python.HANGS),
      row("charPastUnicode", "{{ '%c' % 1114112 }}", err("OverflowError", "%c arg not in range(0x110000)"),
          Python.SAME),

      // ---- deep recursion
      row("macroRecursion", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", err("RecursionError", DEPTH),
          Python.SAME),
      row("recursiveLoopForEver", "{% for m in [[]] recursive %}{{ loop([[]]) }}{% endfor %}",
          err("RecursionError", DEPTH), Python.SAME),
      row("recursiveLoopOverMessages", "{% for m in messages recursive %}{{ loop(messages) }}{% endfor %}",
          err("RecursionError", DEPTH), Python.SAME),
      row("loopCallWithoutRecursive", "{% for m in messages %}{{ loop(messages) }}{% endfor %}",
          err("TypeError", "The loop must have the 'recursive' marker to be called recursively."), Python.SAME),
      row("parensFiveThousandDeep", "{{ " + nested("(", "1", ")", 5000) + " }}", err("RecursionError", DEPTH),
          Python.SAME),
      row("listsFiveThousandDeep", "{{ " + nested("[", "", "]", 5000) + " }}", err("RecursionError", DEPTH),
          Python.SAME),
      row("ifsThreeThousandDeep", nested("{% if true %}", "x", "{% endif %}", 3000), err("RecursionError", DEPTH),
          Python.SAME),
      row("minusTenThousandTimes", "{{ " + "-".repeat(10000) + "1 }}", err("RecursionError", DEPTH), Python.SAME),

      // ---- broken templates: refused when compiled, with Python's error
      row("unknownFilter", "{{ messages|nosuch }}", err("TemplateAssertionError", "No filter named 'nosuch'."),
          Python.SAME),
      row("unknownFilterAfterASyntaxError", "{{ messages|nosuch }}{% for %}",
          err("TemplateSyntaxError", "Expected an expression, got 'end of statement block'"), Python.SAME),
      row("unknownTest", "{{ messages is nosuch }}", err("TemplateAssertionError", "No test named 'nosuch'."),
          Python.SAME),
      row("unknownFilterInAFalseBranch", "{% if false %}{{ x|nosuch }}{% endif %}ok", out("ok"), Python.SAME),
      row("assignToAConstant", "{% set 1 = 1 %}", err("TemplateSyntaxError", "can't assign to 'const'"),
          Python.SAME),
      row("assignToASum", "{% set (a + b) = 1 %}", err("TemplateSyntaxError", "can't assign to 'add'"),
          Python.SAME),
      row("breakOutsideALoop", "{% break %}", err("SyntaxError", "'break' outside loop"), Python.SAME),
      row("doIsNotEnabled", "{% do messages.append(1) %}", err("TemplateSyntaxError", "Encountered unknown tag 'do'."),
          Python.SAME));

  /**
   * The defaults, with 1 s for the rows that run until a time or iteration limit stops them, and a minute for the
   * rest, so that a busy machine cannot turn a size or depth refusal into a time one.
   */
  static RenderLimits limitsFor(Row r) {
    boolean timed = STOPPED.equals(r.java().fragment()) || "limit template.max-render-ms".equals(r.java().fragment());
    return new RenderLimits(Duration.ofSeconds(timed ? 1 : 60), RenderLimits.DEFAULT.maxOutputChars(),
        RenderLimits.DEFAULT.maxDepth(), RenderLimits.DEFAULT.maxIterations());
  }

  static Map<String, Object> variables() {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("role", "user");
    message.put("content", "hi");
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("messages", List.of(message));
    vars.put("tools", null);
    vars.put("documents", null);
    vars.put("add_generation_prompt", false);
    vars.put("bos_token", "<s>");
    vars.put("eos_token", "</s>");
    return vars;
  }

  static Outcome java(String template, RenderLimits limits) {
    try {
      ChatTemplate t = ChatTemplate.compile(template);
      return Outcome.of(() -> t.render(variables(), limits));
    } catch (TemplateException e) {
      return Outcome.error(e.pythonType(), e.getMessage());
    }
  }

  /** Python prints functions with their address ({@code <function safe_range at 0x7f..>}); Java without. */
  static String withoutAddresses(String s) {
    return s.replaceAll(" at 0x[0-9a-f]+", "");
  }

  @Test
  void everyHostileTemplateIsRefusedOrHarmless() {
    List<String> failures = new ArrayList<>();
    for (Row r : TABLE) {
      RenderLimits limits = limitsFor(r);
      long t0 = System.nanoTime();
      Outcome got = java(r.template(), limits);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      if (!r.java().matches(got)) failures.add(r.name() + ": expected " + r.java() + ", got " + got);
      if (ms > limits.maxTime().toMillis() + 10_000) failures.add(r.name() + ": took " + ms + " ms");
    }
    if (!failures.isEmpty()) fail(failures.size() + " of " + TABLE.size() + " rows differ:\n" + String.join("\n", failures));
  }

  @Test
  @SuppressWarnings("unchecked")
  void pythonAgreesWithTheTable(@TempDir Path tmp) throws Exception {
    Map<String, String> templates = new LinkedHashMap<>();
    List<PythonTemplates.Case> cases = new ArrayList<>();
    List<Row> run = new ArrayList<>();
    for (Row r : TABLE) {
      if (r.python() != Python.SAME && r.python() != Python.OTHER_ERROR) continue;
      templates.put(r.name(), r.template());
      cases.add(new PythonTemplates.Case(r.name(), 0, false));
      run.add(r);
    }
    Map<String, Object> vars = variables();
    PythonTemplates.Conversation conv = new PythonTemplates.Conversation(
        (List<Object>) vars.get("messages"), null, Map.of("bos_token", "<s>", "eos_token", "</s>"));
    List<Outcome> py = PythonTemplates.render(templates, List.of(conv), cases, "2024-07-26T12:00:00", tmp, 600);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < run.size(); i++) {
      Row r = run.get(i);
      Outcome o = py.get(i);
      boolean ok = r.python() == Python.SAME ? r.java().matches(o)
          : o.isError() && !o.errorType().equals(r.java().errorType());
      if (!ok) failures.add(r.name() + " (" + r.python() + "): Python gave " + o + ", the table says " + r.java());
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + run.size() + " rows are not what Python does:\n" + String.join("\n", failures));
    }
  }

  // ---------------------------------------------------------------- each limit, small

  static RenderLimits limits(long ms, long chars, int depth, long iterations) {
    return new RenderLimits(Duration.ofMillis(ms), chars, depth, iterations);
  }

  static String render(String template, RenderLimits limits) {
    return ChatTemplate.compile(template).render(variables(), limits).text();
  }

  static TemplateException refused(String template, RenderLimits limits) {
    return assertThrows(TemplateException.class, () -> render(template, limits));
  }

  @Test
  void loopIterationsStopAtTheLimit() {
    RenderLimits l = limits(10_000, 1 << 20, 50, 1000);
    assertEquals(999, render("{% for i in range(999) %}x{% endfor %}", l).length());
    TemplateException e = refused("{% for i in range(1001) %}x{% endfor %}", l);
    assertEquals("SecurityError", e.pythonType());
    assertTrue(e.getMessage().contains("more than 1000 loop iterations and macro calls (limit "
        + "template.max-loop-iterations)"), e.getMessage());
  }

  @Test
  void macroCallsCountAsIterations() {
    RenderLimits l = limits(10_000, 1 << 20, 50, 100);
    String calls = "{% macro m() %}x{% endmacro %}{% for i in range(N) %}{{ m() }}{% endfor %}";
    assertEquals(50, render(calls.replace("N", "50"), l).length()); // 50 iterations + 50 calls
    assertTrue(refused(calls.replace("N", "51"), l).getMessage().contains("template.max-loop-iterations"));
  }

  @Test
  void outputStopsAtTheLimit() {
    RenderLimits l = limits(10_000, 100, 50, 1000);
    assertEquals(100, render("{{ 'a' * 100 }}", l).length());
    assertTrue(refused("{{ 'a' * 101 }}", l).getMessage().contains("grow past 100 characters (limit "
        + "template.max-output-chars)"));
    assertTrue(refused("{% for i in range(101) %}a{% endfor %}", l).getMessage().contains("template.max-output-chars"));
    assertTrue(refused("{{ 'a' * 60 ~ 'b' * 60 }}", l).getMessage().contains("template.max-output-chars"));
  }

  @Test
  void valuesBuiltInOneRenderAddUpToEightTimesTheOutputLimit() {
    RenderLimits l = limits(10_000, 1000, 50, 100_000);
    String keep = "{% set ns = namespace(l=[]) %}{% for i in range(N) %}{% set ns.l = ns.l + ['x' * 500] %}"
        + "{% endfor %}{{ ns.l|length }}";
    assertEquals("15", render(keep.replace("N", "15"), l)); // 15 x (500 chars + a list of at most 15)
    TemplateException e = refused(keep.replace("N", "16"), l); // 16 x 500 + 136 > 8000
    assertTrue(e.getMessage().contains("built more than 8000 characters of values (8 x template.max-output-chars)"),
        e.getMessage());
  }

  @Test
  void recursionStopsAtTheDepthLimitAsPythonsRecursionError() {
    RenderLimits l = limits(10_000, 1 << 20, 5, 1000);
    String countdown = "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{% endif %}{{ n }}{% endmacro %}{{ f(N) }}";
    assertEquals("01234", render(countdown.replace("N", "4"), l)); // 5 nested calls
    TemplateException e = refused(countdown.replace("N", "5"), l);
    assertEquals("RecursionError", e.pythonType());
    assertTrue(e.getMessage().contains("nested deeper than 5 (limit template.max-recursion-depth)"), e.getMessage());
    String loops = "{% for x in items recursive %}[{{ loop(x) }}]{% endfor %}";
    assertEquals("[[]]", render("{% set items = [[[]]] %}" + loops, l)); // 2 nested loop() calls
    assertEquals("RecursionError", refused("{% set items = [[[[[[[]]]]]]] %}" + loops, l).pythonType());
  }

  @Test
  void renderTimeStopsAtTheLimit() {
    RenderLimits l = limits(50, 1 << 20, 50, Long.MAX_VALUE);
    long t0 = System.nanoTime();
    TemplateException e = refused("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        l);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(e.getMessage().contains("took longer than 50 ms (limit template.max-render-ms)"), e.getMessage());
    assertTrue(ms < 2_000, "stopped after " + ms + " ms");
  }

  @Test
  void everyLimitIsAConfigKey() {
    SftConfig c = SftConfig.fromMap(Map.of(SftConfig.MAX_RENDER_MS, "50", SftConfig.MAX_RENDER_CHARS, "100",
        SftConfig.MAX_RENDER_DEPTH, "3", SftConfig.MAX_RENDER_ITERATIONS, "10"));
    assertEquals(limits(50, 100, 3, 10), c.renderLimits());
    assertEquals("3", c.resolved().get("template.max-recursion-depth"));
    assertEquals("10", c.resolved().get("template.max-loop-iterations"));
    assertEquals(RenderLimits.DEFAULT, SftConfig.defaultConfig().renderLimits());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> SftConfig.fromMap(Map.of(SftConfig.MAX_RENDER_DEPTH, "0")));
    assertEquals("template.max-recursion-depth must be positive, got 0", bad.getMessage());
  }
}
