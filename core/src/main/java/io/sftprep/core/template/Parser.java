package io.sftprep.core.template;

import io.sftprep.core.template.Lexer.Token;
import io.sftprep.core.template.Lexer.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A recursive-descent parser with jinja2's grammar and precedence, producing {@link Stmt} and {@link Expr} trees. */
final class Parser {
  private final List<Token> tokens;
  private int p;
  /** > 0 inside an if (jinja2's "soft frame"): an unknown filter or test there fails only when evaluated. */
  private int soft;
  private int loopDepth;
  /** Names ({@code caller}, {@code varargs}, {@code kwargs}) referenced inside each open macro body. */
  private final Deque<Set<String>> macroNames = new ArrayDeque<>();
  /** Open blocks plus open sub-expressions; past {@link #MAX_NESTING} the template is refused. */
  private int nesting;
  /** The first filter or test that does not exist outside an if: jinja2's compiler refuses it after parsing. */
  private TemplateException unknownName;
  /** Python's compiler gives up on templates nested about this deep (RecursionError, IndentationError). */
  static final int MAX_NESTING = 100;

  private Parser(List<Token> tokens) {
    this.tokens = tokens;
  }

  static List<Stmt> parse(String source) {
    Parser parser = new Parser(Lexer.tokenize(source));
    List<Stmt> body;
    try {
      body = parser.subparse(Set.of());
    } catch (StackOverflowError e) {
      throw new TemplateException("RecursionError", "maximum recursion depth exceeded while parsing the template");
    }
    if (parser.cur().type != Type.EOF) throw parser.fail("unexpected " + parser.cur());
    if (parser.unknownName != null) throw parser.unknownName;
    return body;
  }

  private void unknown(String message) {
    if (unknownName == null) unknownName = new TemplateException("TemplateAssertionError", message, cur().line);
  }

  private void nest() {
    if (++nesting > MAX_NESTING) {
      throw new TemplateException("RecursionError", "maximum recursion depth exceeded: blocks and expressions nested "
          + "deeper than " + MAX_NESTING + " (line " + cur().line + ")");
    }
  }

  // ------------------------------------------------------------------ token stream

  private Token cur() {
    return tokens.get(p);
  }

  private Token look() {
    return tokens.get(Math.min(p + 1, tokens.size() - 1));
  }

  private Token next() {
    Token t = tokens.get(p);
    if (t.type != Type.EOF) p++;
    return t;
  }

  private TemplateException fail(String msg) {
    return TemplateException.syntax(msg, cur().line);
  }

  private Token expect(Type type) {
    Token t = cur();
    if (t.type != type) {
      throw fail("expected token '" + describe(type) + "', got '" + t + "'");
    }
    return next();
  }

  private void expectOp(String op) {
    if (!cur().isOp(op)) throw fail("expected token '" + op + "', got '" + cur() + "'");
    next();
  }

  private void expectName(String name) {
    if (!cur().isName(name)) throw fail("expected token '" + name + "', got '" + cur() + "'");
    next();
  }

  private boolean skipOp(String op) {
    if (cur().isOp(op)) {
      next();
      return true;
    }
    return false;
  }

  private boolean skipName(String name) {
    if (cur().isName(name)) {
      next();
      return true;
    }
    return false;
  }

  private static String describe(Type t) {
    switch (t) {
      case BLOCK_END: return "end of statement block";
      case VAR_END: return "end of print statement";
      case NAME: return "name";
      default: return t.name().toLowerCase();
    }
  }

  // ------------------------------------------------------------------ statements

  /** Parses template content until a block tag whose name is in {@code ends} (left as the current token). */
  private List<Stmt> subparse(Set<String> ends) {
    List<Stmt> body = new ArrayList<>();
    StringBuilder data = new StringBuilder();
    while (true) {
      Token t = cur();
      if (t.type == Type.DATA) {
        data.append(t.text);
        next();
      } else if (t.type == Type.VAR_BEGIN) {
        flush(body, data);
        next();
        body.add(new Stmt.Print(parseTuple(true, false, null, false)));
        expect(Type.VAR_END);
      } else if (t.type == Type.BLOCK_BEGIN) {
        flush(body, data);
        next();
        if (cur().type == Type.NAME && ends.contains(cur().text)) return body;
        Stmt s = parseStatement();
        if (s != null) body.add(s);
        expect(Type.BLOCK_END);
      } else if (t.type == Type.EOF) {
        flush(body, data);
        if (!ends.isEmpty()) {
          throw fail("Unexpected end of template. Jinja was looking for the following tags: "
              + String.join(" or ", ends.stream().map(e -> "'" + e + "'").sorted().toList()) + ".");
        }
        return body;
      } else {
        throw fail("unexpected " + t);
      }
    }
  }

  private static void flush(List<Stmt> body, StringBuilder data) {
    if (data.length() > 0) {
      body.add(new Stmt.Text(data.toString()));
      data.setLength(0);
    }
  }

  /** After a statement's header: expects its block end, parses until one of {@code ends}. */
  private List<Stmt> statements(Set<String> ends, boolean dropNeedle) {
    skipOp(":");
    expect(Type.BLOCK_END);
    List<Stmt> body = subparse(ends);
    if (dropNeedle) next();
    return body;
  }

  private Stmt parseStatement() {
    nest();
    try {
      return parseStatementBody();
    } finally {
      nesting--;
    }
  }

  private Stmt parseStatementBody() {
    Token t = cur();
    if (t.type != Type.NAME) throw fail("tag name expected");
    switch (t.text) {
      case "if": return parseIf();
      case "for": return parseFor();
      case "set": return parseSet();
      case "macro": return parseMacro();
      case "call": return parseCallBlock();
      case "filter": return parseFilterBlock();
      case "with": return parseWith();
      case "print": {
        next();
        return new Stmt.Print(parseTuple(true, false, null, false));
      }
      case "generation": {
        next();
        return new Stmt.Generation(statements(Set.of("endgeneration"), true));
      }
      case "break":
      case "continue": {
        next();
        if (loopDepth == 0) { // Python's own compiler refuses the generated code
          throw new TemplateException("SyntaxError", "'" + t.text + "' outside loop", t.line);
        }
        return new Stmt.LoopControl(t.text.equals("break") ? Stmt.BREAK : Stmt.CONTINUE);
      }
      case "autoescape": {
        next();
        parseExpression(true);
        return new Stmt.With(List.of(), List.of(), statements(Set.of("endautoescape"), true));
      }
      case "raw":
        throw fail("raw block malformed");
      case "extends":
      case "include":
      case "import":
      case "from":
      case "block":
        throw fail("Encountered '" + t.text + "': templates loading other templates are not supported in chat "
            + "templates");
      case "do":
        throw fail("Encountered unknown tag 'do'."); // transformers does not enable jinja2's do extension
      default:
        throw fail("Encountered unknown tag '" + t.text + "'.");
    }
  }

  private Stmt parseIf() {
    next();
    List<Expr> tests = new ArrayList<>();
    List<List<Stmt>> bodies = new ArrayList<>();
    List<Stmt> otherwise = List.of();
    soft++;
    try {
      while (true) {
        tests.add(parseTuple(false, false, null, false));
        bodies.add(statements(Set.of("elif", "else", "endif"), false));
        Token end = next();
        if (end.isName("elif")) continue;
        if (end.isName("else")) otherwise = statements(Set.of("endif"), true);
        break;
      }
    } finally {
      soft--;
    }
    return new Stmt.If(tests.toArray(new Expr[0]), bodies, otherwise);
  }

  private Stmt parseFor() {
    next();
    Stmt.Target target = parseAssignTarget(true, false, Set.of("in"), false);
    expectName("in");
    Expr iter = parseTuple(false, false, Set.of("recursive"), false);
    Expr filter = null;
    if (skipName("if")) filter = parseExpression(true);
    boolean recursive = skipName("recursive");
    int savedSoft = soft;
    soft = 0;
    loopDepth++;
    List<Stmt> body;
    try {
      body = statements(Set.of("endfor", "else"), false);
    } finally {
      loopDepth--;
    }
    List<Stmt> otherwise = List.of();
    if (next().isName("else")) {
      int savedLoops = loopDepth;
      loopDepth = 0;
      try {
        otherwise = statements(Set.of("endfor"), true);
      } finally {
        loopDepth = savedLoops;
      }
    }
    soft = savedSoft;
    return new Stmt.For(target, iter, filter, body, otherwise, recursive);
  }

  private Stmt parseSet() {
    next();
    Stmt.Target target = parseAssignTarget(true, false, null, true);
    if (skipOp("=")) return new Stmt.Set(target, parseTuple(true, false, null, false));
    List<Expr.Filter> filters = parseFilterChain(false);
    List<Stmt> body = statements(Set.of("endset"), true);
    return new Stmt.SetBlock(target, filters, body);
  }

  private Stmt parseWith() {
    next();
    List<Stmt.Target> targets = new ArrayList<>();
    List<Expr> values = new ArrayList<>();
    while (cur().type != Type.BLOCK_END) {
      if (!targets.isEmpty()) expectOp(",");
      targets.add(parseAssignTarget(true, false, null, false));
      expectOp("=");
      values.add(parseExpression(true));
    }
    return new Stmt.With(targets, values, statements(Set.of("endwith"), true));
  }

  private Stmt parseFilterBlock() {
    next();
    List<Expr.Filter> filters = parseFilterChain(true);
    return new Stmt.FilterBlock(filters, statements(Set.of("endfilter"), true));
  }

  private Stmt parseMacro() {
    next();
    String name = expect(Type.NAME).text;
    List<String> params = new ArrayList<>();
    List<Expr> defaults = new ArrayList<>();
    parseSignature(params, defaults);
    return macroBody(name, params, defaults, "endmacro");
  }

  private Stmt.MacroDef macroBody(String name, List<String> params, List<Expr> defaults, String end) {
    Set<String> refs = new HashSet<>();
    macroNames.push(refs);
    int savedSoft = soft;
    int savedLoops = loopDepth;
    soft = 0;
    loopDepth = 0;
    List<Stmt> body;
    try {
      body = statements(Set.of(end), true);
    } finally {
      macroNames.pop();
      soft = savedSoft;
      loopDepth = savedLoops;
    }
    return new Stmt.MacroDef(name, params.toArray(new String[0]), defaults.toArray(new Expr[0]), body,
        refs.contains("varargs"), refs.contains("kwargs"), refs.contains("caller"));
  }

  private void parseSignature(List<String> params, List<Expr> defaults) {
    expectOp("(");
    while (!cur().isOp(")")) {
      if (!params.isEmpty()) expectOp(",");
      String arg = expect(Type.NAME).text;
      if (skipOp("=")) {
        defaults.add(parseExpression(true));
      } else if (!defaults.isEmpty()) {
        throw fail("non-default argument follows default argument");
      }
      params.add(arg);
    }
    expectOp(")");
  }

  private Stmt parseCallBlock() {
    next();
    List<String> params = new ArrayList<>();
    List<Expr> defaults = new ArrayList<>();
    if (cur().isOp("(")) parseSignature(params, defaults);
    Expr call = parseExpression(true);
    if (!(call instanceof Expr.Call)) throw fail("expected call");
    Stmt.MacroDef caller = macroBody("caller", params, defaults, "endcall");
    return new Stmt.CallBlock((Expr.Call) call, caller);
  }

  private Stmt.Target parseAssignTarget(boolean withTuple, boolean nameOnly, Set<String> extraEnd,
      boolean withNamespace) {
    if (nameOnly) return new Stmt.Target(expect(Type.NAME).text, null, null);
    if (!withTuple) return targetOf(parsePrimary(withNamespace));
    List<Stmt.Target> items = new ArrayList<>();
    boolean tuple = false;
    while (true) {
      if (!items.isEmpty()) expectOp(",");
      if (isTupleEnd(extraEnd)) break;
      items.add(targetOf(parsePrimary(withNamespace)));
      if (cur().isOp(",")) tuple = true;
      else break;
    }
    if (!tuple) {
      if (items.isEmpty()) throw fail("Expected an expression, got '" + cur() + "'");
      return items.get(0);
    }
    return new Stmt.Target(null, null, items);
  }

  private Stmt.Target targetOf(Expr e) {
    if (e instanceof Expr.Name) return new Stmt.Target(((Expr.Name) e).name, null, null);
    if (e instanceof NsRef) return new Stmt.Target(((NsRef) e).name, ((NsRef) e).attr, null);
    if (e instanceof Expr.ListLit && ((Expr.ListLit) e).tuple) {
      List<Stmt.Target> items = new ArrayList<>();
      for (Expr x : ((Expr.ListLit) e).items) items.add(targetOf(x));
      return new Stmt.Target(null, null, items);
    }
    throw fail("can't assign to '" + nodeName(e) + "'");
  }

  /** jinja2's node class name, lower case, for messages. */
  private static String nodeName(Expr e) {
    if (e instanceof Expr.BinOp) {
      switch (((Expr.BinOp) e).op) {
        case "+": return "add";
        case "-": return "sub";
        case "*": return "mul";
        case "/": return "div";
        case "//": return "floordiv";
        case "%": return "mod";
        default: return "pow";
      }
    }
    if (e instanceof Expr.Unary) return ((Expr.Unary) e).negate ? "neg" : "pos";
    if (e instanceof Expr.ListLit) return ((Expr.ListLit) e).tuple ? "tuple" : "list";
    if (e instanceof Expr.DictLit) return "dict";
    if (e instanceof Expr.CondExpr) return "condexpr";
    return e.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT); // const, call, getattr, filter, ...
  }

  /** {@code ns.attr} on the left of {@code set}; never evaluated as an expression. */
  private static final class NsRef extends Expr {
    final String name;
    final String attr;

    NsRef(String name, String attr) {
      this.name = name;
      this.attr = attr;
    }

    @Override
    Object eval(Interpreter in, Scope s) {
      throw new IllegalStateException("namespace reference is only an assignment target");
    }
  }

  // ------------------------------------------------------------------ expressions

  private boolean isTupleEnd(Set<String> extraEnd) {
    Token t = cur();
    if (t.type == Type.VAR_END || t.type == Type.BLOCK_END || t.isOp(")")) return true;
    return extraEnd != null && t.type == Type.NAME && extraEnd.contains(t.text);
  }

  private Expr parseTuple(boolean withCondexpr, boolean simplified, Set<String> extraEnd, boolean explicitParens) {
    List<Expr> args = new ArrayList<>();
    boolean isTuple = false;
    while (true) {
      if (!args.isEmpty()) expectOp(",");
      if (isTupleEnd(extraEnd)) break;
      args.add(simplified ? parsePrimary(false) : parseExpression(withCondexpr));
      if (cur().isOp(",")) isTuple = true;
      else break;
    }
    if (!isTuple) {
      if (!args.isEmpty()) return args.get(0);
      if (!explicitParens) throw fail("Expected an expression, got '" + cur() + "'");
    }
    return new Expr.ListLit(args, true);
  }

  private Expr parseExpression(boolean withCondexpr) {
    nest();
    try {
      return withCondexpr ? parseCondexpr() : parseOr();
    } finally {
      nesting--;
    }
  }

  private Expr parseCondexpr() {
    Expr e1 = parseOr();
    while (skipName("if")) {
      soft++;
      try {
        Expr e2 = parseOr();
        Expr e3 = skipName("else") ? parseExpression(true) : null;
        e1 = new Expr.CondExpr(e2, e1, e3);
      } finally {
        soft--;
      }
    }
    return e1;
  }

  private Expr parseOr() {
    Expr left = parseAnd();
    while (skipName("or")) left = new Expr.Or(left, parseAnd());
    return left;
  }

  private Expr parseAnd() {
    Expr left = parseNot();
    while (skipName("and")) left = new Expr.And(left, parseNot());
    return left;
  }

  private Expr parseNot() {
    if (cur().isName("not")) {
      next();
      nest();
      try {
        return new Expr.Not(parseNot());
      } finally {
        nesting--;
      }
    }
    return parseCompare();
  }

  private Expr parseCompare() {
    Expr first = parseMath1();
    List<String> ops = new ArrayList<>();
    List<Expr> rest = new ArrayList<>();
    while (true) {
      Token t = cur();
      if (t.type == Type.OP && (t.text.equals("==") || t.text.equals("!=") || t.text.equals("<")
          || t.text.equals("<=") || t.text.equals(">") || t.text.equals(">="))) {
        next();
        ops.add(t.text);
        rest.add(parseMath1());
      } else if (skipName("in")) {
        ops.add("in");
        rest.add(parseMath1());
      } else if (t.isName("not") && look().isName("in")) {
        next();
        next();
        ops.add("notin");
        rest.add(parseMath1());
      } else {
        break;
      }
    }
    if (ops.isEmpty()) return first;
    return new Expr.Compare(first, ops.toArray(new String[0]), rest.toArray(new Expr[0]));
  }

  private Expr parseMath1() {
    Expr left = parseConcat();
    while (cur().isOp("+") || cur().isOp("-")) {
      String op = next().text;
      left = new Expr.BinOp(op, left, parseConcat());
    }
    return left;
  }

  private Expr parseConcat() {
    List<Expr> args = new ArrayList<>();
    args.add(parseMath2());
    while (skipOp("~")) args.add(parseMath2());
    return args.size() == 1 ? args.get(0) : new Expr.Concat(args);
  }

  private Expr parseMath2() {
    Expr left = parsePow();
    while (cur().isOp("*") || cur().isOp("/") || cur().isOp("//") || cur().isOp("%")) {
      String op = next().text;
      left = new Expr.BinOp(op, left, parsePow());
    }
    return left;
  }

  private Expr parsePow() {
    Expr left = parseUnary(true);
    while (skipOp("**")) left = new Expr.BinOp("**", left, parseUnary(true));
    return left;
  }

  private Expr parseUnary(boolean withFilter) {
    Expr node;
    if (cur().isOp("-") || cur().isOp("+")) {
      boolean negate = next().text.equals("-");
      nest();
      try {
        node = new Expr.Unary(parseUnary(false), negate);
      } finally {
        nesting--;
      }
    } else {
      node = parsePrimary(false);
    }
    node = parsePostfix(node);
    if (withFilter) node = parseFilterExpr(node);
    return node;
  }

  private Expr parsePrimary(boolean withNamespace) {
    Token t = cur();
    switch (t.type) {
      case NAME: {
        next();
        switch (t.text) {
          case "true":
          case "True":
            return new Expr.Const(Boolean.TRUE);
          case "false":
          case "False":
            return new Expr.Const(Boolean.FALSE);
          case "none":
          case "None":
            return new Expr.Const(null);
          default:
            if (withNamespace && cur().isOp(".")) {
              next();
              return new NsRef(t.text, expect(Type.NAME).text);
            }
            for (Set<String> refs : macroNames) refs.add(t.text);
            return new Expr.Name(t.text);
        }
      }
      case STRING: {
        next();
        StringBuilder sb = new StringBuilder(t.text);
        while (cur().type == Type.STRING) sb.append(next().text);
        return new Expr.Const(sb.toString());
      }
      case INTEGER:
      case FLOAT:
        next();
        return new Expr.Const(t.value);
      case OP:
        if (t.text.equals("(")) {
          next();
          Expr e = parseTuple(true, false, null, true);
          expectOp(")");
          return e;
        }
        if (t.text.equals("[")) return parseList();
        if (t.text.equals("{")) return parseDict();
        // fall through
      default:
        throw fail("unexpected '" + t + "'");
    }
  }

  private Expr parseList() {
    expectOp("[");
    List<Expr> items = new ArrayList<>();
    while (!cur().isOp("]")) {
      if (!items.isEmpty()) expectOp(",");
      if (cur().isOp("]")) break;
      items.add(parseExpression(true));
    }
    expectOp("]");
    return new Expr.ListLit(items, false);
  }

  private Expr parseDict() {
    expectOp("{");
    List<Expr> keys = new ArrayList<>();
    List<Expr> values = new ArrayList<>();
    while (!cur().isOp("}")) {
      if (!keys.isEmpty()) expectOp(",");
      if (cur().isOp("}")) break;
      keys.add(parseExpression(true));
      expectOp(":");
      values.add(parseExpression(true));
    }
    expectOp("}");
    return new Expr.DictLit(keys, values);
  }

  private Expr parsePostfix(Expr node) {
    while (true) {
      if (cur().isOp(".") || cur().isOp("[")) node = parseSubscript(node);
      else if (cur().isOp("(")) node = new Expr.Call(node, parseCallArgs());
      else return node;
    }
  }

  private Expr parseFilterExpr(Expr node) {
    while (true) {
      if (cur().isOp("|")) node = parseFilter(node, false);
      else if (cur().isName("is")) node = parseTest(node);
      else if (cur().isOp("(")) node = new Expr.Call(node, parseCallArgs());
      else return node;
    }
  }

  private Expr parseSubscript(Expr node) {
    Token t = next();
    if (t.isOp(".")) {
      Token attr = next();
      if (attr.type == Type.NAME) return new Expr.GetAttr(node, attr.text);
      if (attr.type != Type.INTEGER) throw fail("expected name or number");
      return new Expr.GetItem(node, new Expr.Const(attr.value));
    }
    List<Expr> args = new ArrayList<>();
    while (!cur().isOp("]")) {
      if (!args.isEmpty()) expectOp(",");
      args.add(parseSubscribed());
    }
    expectOp("]");
    Expr key = args.size() == 1 ? args.get(0) : new Expr.ListLit(args, true);
    return new Expr.GetItem(node, key);
  }

  private Expr parseSubscribed() {
    Expr start = null;
    if (cur().isOp(":")) {
      next();
    } else {
      Expr e = parseExpression(true);
      if (!cur().isOp(":")) return e;
      next();
      start = e;
    }
    Expr stop = null;
    if (!cur().isOp(":") && !cur().isOp("]") && !cur().isOp(",")) stop = parseExpression(true);
    Expr step = null;
    if (cur().isOp(":")) {
      next();
      if (!cur().isOp("]") && !cur().isOp(",")) step = parseExpression(true);
    }
    return new Expr.SliceExpr(start, stop, step);
  }

  private Expr.Args parseCallArgs() {
    expectOp("(");
    List<Expr> args = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    List<Expr> kv = new ArrayList<>();
    Expr dynArgs = null;
    Expr dynKwargs = null;
    boolean requireComma = false;
    while (!cur().isOp(")")) {
      if (requireComma) {
        expectOp(",");
        if (cur().isOp(")")) break;
      }
      if (cur().isOp("*")) {
        if (dynArgs != null || dynKwargs != null) throw fail("invalid syntax for function call expression");
        next();
        dynArgs = parseExpression(true);
      } else if (cur().isOp("**")) {
        if (dynKwargs != null) throw fail("invalid syntax for function call expression");
        next();
        dynKwargs = parseExpression(true);
      } else if (cur().type == Type.NAME && look().isOp("=")) {
        if (dynKwargs != null) throw fail("invalid syntax for function call expression");
        String key = next().text;
        next();
        keys.add(key);
        kv.add(parseExpression(true));
      } else {
        if (dynArgs != null || dynKwargs != null || !keys.isEmpty()) {
          throw fail("invalid syntax for function call expression");
        }
        args.add(parseExpression(true));
      }
      requireComma = true;
    }
    expectOp(")");
    if (args.isEmpty() && keys.isEmpty() && dynArgs == null && dynKwargs == null) return Expr.Args.NONE;
    return new Expr.Args(args, keys, kv, dynArgs, dynKwargs);
  }

  private String dottedName() {
    StringBuilder name = new StringBuilder(expect(Type.NAME).text);
    while (cur().isOp(".")) {
      next();
      name.append('.').append(expect(Type.NAME).text);
    }
    return name.toString();
  }

  private Expr parseFilter(Expr node, boolean startInline) {
    while (cur().isOp("|") || startInline) {
      if (!startInline) next();
      String name = dottedName();
      Expr.Args args = cur().isOp("(") ? parseCallArgs() : Expr.Args.NONE;
      Filters.Fn fn = Filters.get(name);
      if (fn == null && soft == 0) unknown("No filter named '" + name + "'.");
      node = new Expr.Filter(node, name, fn, args);
      startInline = false;
    }
    return node;
  }

  /** The filters of a {@code filter} block or a block {@code set}: applied in order to the captured body. */
  private List<Expr.Filter> parseFilterChain(boolean startInline) {
    List<Expr.Filter> chain = new ArrayList<>();
    while (cur().isOp("|") || startInline) {
      if (!startInline) next();
      String name = dottedName();
      Expr.Args args = cur().isOp("(") ? parseCallArgs() : Expr.Args.NONE;
      Filters.Fn fn = Filters.get(name);
      if (fn == null && soft == 0) unknown("No filter named '" + name + "'.");
      chain.add(new Expr.Filter(null, name, fn, args));
      startInline = false;
    }
    return chain;
  }

  private Expr parseTest(Expr node) {
    next(); // 'is'
    boolean negated = skipName("not");
    String name = dottedName();
    Expr.Args args;
    Token t = cur();
    if (t.isOp("(")) {
      args = parseCallArgs();
    } else if ((t.type == Type.NAME || t.type == Type.STRING || t.type == Type.INTEGER || t.type == Type.FLOAT
        || t.isOp("(") || t.isOp("[") || t.isOp("{"))
        && !(t.isName("else") || t.isName("or") || t.isName("and"))) {
      if (t.isName("is")) throw fail("You cannot chain multiple tests with is");
      Expr arg = parsePostfix(parsePrimary(false));
      args = new Expr.Args(List.of(arg), List.of(), List.of(), null, null);
    } else {
      args = Expr.Args.NONE;
    }
    Tests.Fn fn = Tests.get(name);
    if (fn == null && soft == 0) unknown("No test named '" + name + "'.");
    Expr test = new Expr.Test(node, name, fn, args);
    return negated ? new Expr.Not(test) : test;
  }
}
