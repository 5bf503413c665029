package io.sftprep.core.mask;

import io.sftprep.core.conversation.Chat;
import io.sftprep.core.conversation.Message;
import io.sftprep.core.pipeline.Reason;
import io.sftprep.core.pipeline.Rejected;
import io.sftprep.core.template.ChatRenderer;
import io.sftprep.core.template.ChatRenderer.GenerationPrompt;
import io.sftprep.core.template.Rendered;
import io.sftprep.core.template.TemplateException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Decides which characters of a rendered conversation are trained. The mask always follows the one full
 * rendering ({@code add_generation_prompt=false}); other renderings only locate boundaries in it:
 *
 * <ul>
 *   <li>An assistant turn {@code i} starts where {@code render(messages[:i], add_generation_prompt=true)} ends;
 *       that text must be a prefix of the full rendering, or the record is rejected
 *       ({@code template-rewrites-history}).
 *   <li>It ends after the first end-of-turn string (e.g. {@code <|im_end|>}) that follows the message's content
 *       (located in the text, so end-of-turn text typed inside the content does not end the turn early), and never
 *       later than where {@code render(messages[:i+1])} ends when that is a prefix of the full rendering (a
 *       template that does not close a turn, such as DeepSeek-V3 after a single tool call, so never trains what
 *       follows).
 *   <li>Any other trained message spans from where {@code render(messages[:i])} ends (0 for the first message) to
 *       where {@code render(messages[:i+1])} ends (both must be prefixes).
 *   <li>With {@code {% generation %}} blocks in the template, policy {@code assistant}, no per-message flag that
 *       changes which messages are trained and {@code mask.train-eot} on, the blocks' spans are used, as
 *       transformers' {@code return_assistant_tokens_mask} does.
 * </ul>
 */
public final class SpanFinder {
  private final ChatRenderer renderer;
  private final MaskOptions options;
  private final List<String> eot;
  private final List<String> specialTokens;

  public SpanFinder(ChatRenderer renderer, MaskOptions options, List<String> endOfTurn, List<String> specialTokens) {
    this.renderer = renderer;
    this.options = options;
    this.eot = List.copyOf(endOfTurn);
    this.specialTokens = List.copyOf(specialTokens);
  }

  public List<String> endOfTurn() {
    return eot;
  }

  public MaskedText find(Chat chat) throws Rejected {
    return find(chat, renderFull(chat));
  }

  /**
   * The full rendering ({@code add_generation_prompt=false}) that {@link #find(Chat, Rendered)} masks, after the
   * checks that need no rendering ({@code content.special-tokens=reject}).
   */
  public Rendered renderFull(Chat chat) throws Rejected {
    int hits = countSpecialText(chat);
    if (hits > 0 && options.specialText() == MaskOptions.SpecialTokenText.REJECT) {
      throw new Rejected(Reason.SPECIAL_TOKEN_IN_CONTENT, "message content holds the literal text of a special "
          + "token " + hits + " time(s)");
    }
    return render(chat, chat.messages().size(), GenerationPrompt.NONE, "rendering the conversation");
  }

  /** The trained spans of {@code rendered}, which must be {@link #renderFull(Chat)} of the same chat. */
  public MaskedText find(Chat chat, Rendered rendered) throws Rejected {
    List<Message> msgs = chat.messages();
    int n = msgs.size();
    int hits = countSpecialText(chat);
    String full = rendered.text();
    if (options.policy() == MaskPolicy.ALL) {
      return new MaskedText(full, List.of(new CharSpan(0, full.length())), hits);
    }
    boolean[] trained = trainedMessages(chat);
    boolean any = false;
    boolean asBlocks = true; // the selection is every assistant turn and nothing else: what generation blocks mark
    for (int i = 0; i < n; i++) {
      any |= trained[i];
      asBlocks &= trained[i] == msgs.get(i).role().equals("assistant");
    }
    if (!any) {
      throw new Rejected(Reason.NO_ASSISTANT_TURN, "policy " + options.policy().key()
          + " selects no message of this record (roles: " + roles(msgs) + ")");
    }
    boolean useGeneration;
    if (options.source() == MaskOptions.MaskSource.GENERATION) {
      if (!asBlocks) {
        throw new Rejected(Reason.MASK_FLAGS_UNSUPPORTED, "per-message training flags select messages "
            + selected(msgs, trained) + ", but mask.source=generation trains exactly the template's generation "
            + "blocks (every assistant turn); use mask.source=auto or prefix to apply the flags");
      }
      useGeneration = true;
    } else {
      // blocks hold each turn's end-of-turn token, so train-eot=false needs the span rule
      useGeneration = options.source() == MaskOptions.MaskSource.AUTO && renderer.template().hasGenerationBlocks()
          && options.policy() == MaskPolicy.ASSISTANT && asBlocks && options.eot() == MaskOptions.EotTraining.TRAIN;
    }
    List<CharSpan> spans = new ArrayList<>();
    if (useGeneration) {
      for (Rendered.Span s : rendered.generationSpans()) spans.add(new CharSpan(s.start(), s.end()));
    } else {
      for (int i = 0; i < n; i++) {
        if (!trained[i]) continue;
        spans.add(msgs.get(i).role().equals("assistant") ? assistantSpan(chat, full, i) : messageSpan(chat, full, i));
      }
    }
    return new MaskedText(full, merge(spans), hits);
  }

  private static String selected(List<Message> msgs, boolean[] trained) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < msgs.size(); i++) if (trained[i]) out.add(i);
    return out.toString();
  }

  private static String roles(List<Message> msgs) {
    StringBuilder sb = new StringBuilder();
    for (Message m : msgs) {
      if (sb.length() > 0) sb.append(", ");
      sb.append(m.role());
    }
    return sb.toString();
  }

  private boolean[] trainedMessages(Chat chat) {
    List<Message> msgs = chat.messages();
    int n = msgs.size();
    int lastAssistant = -1;
    for (int i = 0; i < n; i++) if (msgs.get(i).role().equals("assistant")) lastAssistant = i;
    boolean[] t = new boolean[n];
    for (int i = 0; i < n; i++) {
      Message m = msgs.get(i);
      boolean base;
      switch (options.policy()) {
        case ASSISTANT: base = m.role().equals("assistant"); break;
        case LAST_ASSISTANT: base = i == lastAssistant; break;
        case ROLES: base = options.roles().contains(m.role()); break;
        case COMPLETION:
          base = chat.isPromptCompletion() ? i >= chat.completionStart() : i == lastAssistant;
          break;
        default: base = true;
      }
      if (m.train() == Message.Train.YES) base = true;
      if (m.train() == Message.Train.NO) base = false;
      t[i] = base;
    }
    return t;
  }

  private Rendered render(Chat chat, int upto, GenerationPrompt gp, String what) throws Rejected {
    try {
      return renderer.render(chat, upto, gp);
    } catch (TemplateException e) {
      throw new Rejected(Reason.TEMPLATE_ERROR, e.describe() + " (" + what + hints(chat.messages()) + ")");
    }
  }

  /**
   * Hints for a template error, naming what templates most often cannot render: a null content, and tool-call
   * arguments given as objects to a template that concatenates them (DeepSeek-V3's).
   */
  @SuppressWarnings("unchecked")
  private String hints(List<Message> msgs) {
    List<Integer> nulls = new ArrayList<>();
    boolean objectArguments = false;
    for (int i = 0; i < msgs.size(); i++) {
      Map<String, Object> f = msgs.get(i).fields();
      if (f.get("content") == null) nulls.add(i);
      if (f.get("tool_calls") instanceof List) {
        for (Object c : (List<Object>) f.get("tool_calls")) {
          Object fn = c instanceof Map ? ((Map<String, Object>) c).get("function") : null;
          Object args = fn instanceof Map ? ((Map<String, Object>) fn).get("arguments") : null;
          objectArguments |= args != null && !(args instanceof String);
        }
      }
    }
    String h = nulls.isEmpty() ? "" : "; content is null in message(s) " + nulls;
    if (objectArguments && renderer.toolArguments() == ChatRenderer.ToolArguments.OBJECT) {
      h += "; tool-call arguments are objects (template.tool-arguments=string passes them as JSON text)";
    }
    return h;
  }

  /** The text before message {@code i}, rendered on its own, which must be a prefix of the full rendering. */
  private int prefixEnd(Chat chat, String full, int i, GenerationPrompt gp) throws Rejected {
    String p;
    try {
      p = renderer.render(chat, i, gp).text();
    } catch (TemplateException e) {
      throw new Rejected(Reason.TEMPLATE_REWRITES_HISTORY, "message " + i + ": the conversation before it cannot "
          + "be rendered on its own (" + e.describe() + ")");
    }
    if (!full.startsWith(p)) {
      throw new Rejected(Reason.TEMPLATE_REWRITES_HISTORY, "message " + i + " (" + chat.messages().get(i).role()
          + "): the rendering of the messages before it" + (gp == GenerationPrompt.ADD ? " plus the generation prompt"
          : "") + " is not a prefix of the full rendering (first difference at char " + firstDiff(full, p) + ")");
    }
    return p.length();
  }

  private CharSpan messageSpan(Chat chat, String full, int i) throws Rejected {
    int start = i == 0 ? 0 : prefixEnd(chat, full, i, GenerationPrompt.NONE); // nothing comes before message 0
    int end = i + 1 == chat.messages().size() ? full.length() : prefixEnd(chat, full, i + 1, GenerationPrompt.NONE);
    return new CharSpan(start, Math.max(start, end));
  }

  private CharSpan assistantSpan(Chat chat, String full, int i) throws Rejected {
    int start = prefixEnd(chat, full, i, GenerationPrompt.ADD);
    int bound = full.length();
    if (i + 1 < chat.messages().size()) {
      try {
        String q = renderer.render(chat, i + 1, GenerationPrompt.NONE).text();
        if (q.length() > start && full.startsWith(q)) bound = q.length();
      } catch (TemplateException e) {
        // no bound from this rendering; the end-of-turn search alone decides
      }
    }
    String content = chat.messages().get(i).text();
    int scan = start;
    boolean located = false;
    if (content != null && !content.isEmpty()) {
      int at = locate(full, content, start, bound);
      if (at >= 0) {
        scan = at;
        located = true;
      }
    }
    if (!located && content != null && containsAny(content, eot)) {
      throw new Rejected(Reason.AMBIGUOUS_END_OF_TURN, "assistant message " + i + " holds end-of-turn text "
          + eot + " and its content cannot be found verbatim in the rendering");
    }
    int bestPos = -1;
    String best = null;
    for (String e : eot) {
      int p = full.indexOf(e, scan);
      if (p >= 0 && p < bound && (bestPos < 0 || p < bestPos)) {
        bestPos = p;
        best = e;
      }
    }
    int end;
    if (best == null) end = bound;
    else end = options.eot() == MaskOptions.EotTraining.TRAIN ? bestPos + best.length() : bestPos;
    return new CharSpan(start, Math.max(start, Math.min(end, bound)));
  }

  /** The end of the content in {@code full[from, bound)}: verbatim, else stripped of surrounding whitespace; -1. */
  private static int locate(String full, String content, int from, int bound) {
    int at = full.indexOf(content, from);
    if (at >= 0 && at + content.length() <= bound) return at + content.length();
    String trimmed = content.strip();
    if (!trimmed.isEmpty() && !trimmed.equals(content)) {
      at = full.indexOf(trimmed, from);
      if (at >= 0 && at + trimmed.length() <= bound) return at + trimmed.length();
    }
    return -1;
  }

  private static boolean containsAny(String s, List<String> needles) {
    for (String n : needles) if (s.contains(n)) return true;
    return false;
  }

  private int countSpecialText(Chat chat) {
    int hits = 0;
    for (Message m : chat.messages()) {
      String c = m.text();
      if (c == null || c.indexOf('<') < 0 && c.indexOf('[') < 0) continue;
      for (String s : specialTokens) {
        int from = 0;
        int at;
        while ((at = c.indexOf(s, from)) >= 0) {
          hits++;
          from = at + s.length();
        }
      }
    }
    return hits;
  }

  static int firstDiff(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) if (a.charAt(i) != b.charAt(i)) return i;
    return n;
  }

  /** Sorts spans and joins those that touch or overlap. */
  static List<CharSpan> merge(List<CharSpan> spans) {
    List<CharSpan> s = new ArrayList<>(spans);
    s.removeIf(x -> x.end() <= x.start());
    s.sort(Comparator.comparingInt(CharSpan::start));
    List<CharSpan> out = new ArrayList<>();
    for (CharSpan x : s) {
      if (!out.isEmpty() && out.get(out.size() - 1).end() >= x.start()) {
        CharSpan last = out.remove(out.size() - 1);
        out.add(new CharSpan(last.start(), Math.max(last.end(), x.end())));
      } else {
        out.add(x);
      }
    }
    return out;
  }

  /**
   * The end-of-turn string of a template: renders a probe conversation and takes the first special token after the
   * probe's assistant text ({@code <|im_end|>}, {@code <|eot_id|>}, {@code <end_of_turn>}, ...). Falls back to
   * {@code eos} when the probe cannot be rendered or shows none.
   */
  public static List<String> detectEndOfTurn(ChatRenderer renderer, List<String> specialTokens, String eos) {
    String probe = "sftprep-probe-7f3a";
    Chat chat = Chat.of(List.of(Message.of("user", "Hi"), Message.of("assistant", probe)));
    try {
      String text = renderer.render(chat).text();
      int at = text.indexOf(probe);
      if (at >= 0) {
        int from = at + probe.length();
        int bestPos = -1;
        String best = null;
        for (String s : specialTokens) {
          int p = text.indexOf(s, from);
          if (p >= 0 && (bestPos < 0 || p < bestPos || (p == bestPos && s.length() > best.length()))) {
            bestPos = p;
            best = s;
          }
        }
        if (best != null) return List.of(best);
      }
    } catch (TemplateException e) {
      // fall through to eos
    }
    return eos == null ? List.of() : List.of(eos);
  }
}
