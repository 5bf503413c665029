package io.sftprep.core.pipeline;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.conversation.Chat;
import io.sftprep.core.conversation.Conversation;
import io.sftprep.core.conversation.PlainText;
import io.sftprep.core.format.Converted;
import io.sftprep.core.format.Format;
import io.sftprep.core.format.Formats;
import io.sftprep.core.json.Json;
import io.sftprep.core.json.JsonException;
import io.sftprep.core.mask.CharSpan;
import io.sftprep.core.mask.Labels;
import io.sftprep.core.mask.MaskPolicy;
import io.sftprep.core.mask.MaskedText;
import io.sftprep.core.mask.SpanFinder;
import io.sftprep.core.pipeline.LengthOptions.Overflow;
import io.sftprep.core.template.ChatRenderer;
import io.sftprep.core.template.ChatTemplate;
import io.sftprep.core.template.Rendered;
import io.sftprep.core.template.TemplateException;
import io.sftprep.core.tokenize.Encoded;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The whole per-record path, the same in the Spark job, the UDFs and {@code sftprep preview}: bytes of one line
 * -> JSON -> layout -> conversations -> chat template -> trained spans -> tokens -> labels -> length handling.
 * Every outcome is a {@link Sample} or a {@link Rejection} with a reason; nothing throws for bad input.
 * One instance per thread (it holds a tokenizer).
 */
public final class Preprocessor {
  private final SftConfig config;
  private final HfTokenizer tokenizer;
  private final ChatRenderer renderer; // null: no chat template
  private final SpanFinder spans;
  private final Integer eosId;
  private final String eosToken;
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);

  /**
   * @param templateText the chat template to use (the config's file, or the tokenizer's), or null if none
   * @param now the instant {@code strftime_now} reports, fixed for the whole run
   */
  public Preprocessor(SftConfig config, ModelFiles files, HfTokenizer tokenizer, String templateText,
      LocalDateTime now) {
    this.config = config;
    this.tokenizer = tokenizer;
    this.eosToken = files.specialTokens().get("eos_token");
    this.eosId = tokenizer.tokenId(eosToken);
    if (templateText != null) {
      ChatTemplate t = ChatTemplate.compile(templateText, () -> now);
      this.renderer = new ChatRenderer(t, files.specialTokens(), config.templateVars(), config.renderLimits(),
          config.toolArguments());
      List<String> eot = config.mask().eotTokens().isEmpty()
          ? SpanFinder.detectEndOfTurn(renderer, files.specialTokenStrings(), eosToken)
          : config.mask().eotTokens();
      this.spans = new SpanFinder(renderer, config.mask(), eot, files.specialTokenStrings());
    } else {
      this.renderer = null;
      this.spans = null;
    }
  }

  /** The end-of-turn strings in use (detected or configured); empty without a template. */
  public List<String> endOfTurn() {
    return spans == null ? List.of() : spans.endOfTurn();
  }

  /** One line as read from a file (without its newline). */
  public RecordResult process(byte[] bytes, int offset, int length) {
    String line;
    try {
      line = utf8.reset().decode(ByteBuffer.wrap(bytes, offset, length)).toString();
    } catch (CharacterCodingException e) {
      return RecordResult.rejected(null, Reason.INVALID_UTF8, "malformed UTF-8 (" + e.getMessage() + ")");
    }
    return process(line);
  }

  public RecordResult process(String line) {
    if (!line.isEmpty() && line.charAt(0) == '\uFEFF') line = line.substring(1);
    Map<String, Object> record;
    try {
      Object v = Json.parse(line);
      if (!(v instanceof Map)) {
        return RecordResult.rejected(null, Reason.NOT_AN_OBJECT, "the line holds a JSON " + Json.typeName(v)
            + ", expected an object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) v;
      record = m;
    } catch (JsonException e) {
      return RecordResult.rejected(null, Reason.INVALID_JSON, e.getMessage());
    }
    return process(record);
  }

  public RecordResult process(Map<String, Object> record) {
    Converted converted;
    try {
      converted = Formats.convert(record, config.format());
    } catch (Rejected r) {
      Format f = null;
      try {
        f = config.format().forced() != null ? config.format().forced() : Formats.detect(record, config.format());
      } catch (Rejected ignored) {
        // layout unknown
      }
      return RecordResult.rejected(f, r.reason(), r.detail());
    }
    List<Sample> samples = new ArrayList<>();
    List<Rejection> rejections = new ArrayList<>();
    int hits = 0;
    int part = 0;
    for (Conversation c : converted.conversations()) {
      try {
        Built b = c instanceof Chat ? chat((Chat) c) : plain((PlainText) c);
        hits += b.specialTextHits;
        part = addSamples(b, part, samples, c instanceof PlainText);
      } catch (Rejected r) {
        rejections.add(new Rejection(part++, r.reason(), r.detail()));
      } catch (TemplateException e) {
        rejections.add(new Rejection(part++, Reason.TEMPLATE_ERROR, e.describe()));
      } catch (RuntimeException e) { // a bug must not take the job down; it is counted and reported
        rejections.add(new Rejection(part++, Reason.INTERNAL_ERROR, e.getClass().getSimpleName() + ": "
            + e.getMessage()));
      }
    }
    return new RecordResult(converted.format(), samples, rejections, hits);
  }

  /**
   * The text each conversation of {@code record} is tokenized from, without tokenizing or masking: the chat
   * template's one full rendering ({@code add_generation_prompt=false}), or prompt + completion for plain text
   * (whose BOS/EOS are tokens the tokenizer adds, not text).
   */
  public RenderedRecord render(Map<String, Object> record) {
    Converted converted;
    try {
      converted = Formats.convert(record, config.format());
    } catch (Rejected r) {
      return RenderedRecord.rejected(null, r.reason(), r.detail());
    }
    List<RenderedRecord.Part> parts = new ArrayList<>();
    List<Rejection> rejections = new ArrayList<>();
    int part = 0;
    for (Conversation c : converted.conversations()) {
      if (c instanceof PlainText) {
        PlainText p = (PlainText) c;
        parts.add(new RenderedRecord.Part(part++, p.prompt() + p.completion()));
      } else if (renderer == null) {
        rejections.add(new Rejection(part++, Reason.TEMPLATE_ERROR, "the tokenizer has no chat template; give one "
            + "with --chat-template FILE (config " + SftConfig.CHAT_TEMPLATE + ")"));
      } else {
        try {
          parts.add(new RenderedRecord.Part(part, renderer.render((Chat) c).text()));
        } catch (TemplateException e) {
          rejections.add(new Rejection(part, Reason.TEMPLATE_ERROR, e.describe()));
        }
        part++;
      }
    }
    return new RenderedRecord(converted.format(), parts, rejections);
  }

  private record Built(int[] ids, int[] labels, int specialTextHits) {}

  private Built chat(Chat chat) throws Rejected {
    if (renderer == null) {
      throw new Rejected(Reason.TEMPLATE_ERROR, "the tokenizer has no chat template; give one with "
          + "--chat-template FILE (config " + SftConfig.CHAT_TEMPLATE + ")");
    }
    Rendered full = spans.renderFull(chat);
    checkUnicode(full.text());
    Labels.Encoding enc = Labels.encode(tokenizer, full.text());
    // a sample that will be dropped for its length is dropped before its spans are found: finding them renders
    // every prefix, which grows with the square of the number of turns
    if (config.length().overflow() == Overflow.DROP && enc.ids().length > config.length().maxLength()) {
      throw tooLong(enc.ids().length);
    }
    MaskedText mt = spans.find(chat, full);
    int[] labels = Labels.label(tokenizer, full.text(), enc, mt.spans());
    return new Built(enc.ids(), labels, mt.specialTextHits());
  }

  private Built plain(PlainText p) throws Rejected {
    String text = p.prompt() + p.completion();
    checkUnicode(text);
    Encoded enc = tokenizer.encode(text, HfTokenizer.SpecialTokens.ADD);
    int[] ids = enc.ids();
    int n = ids.length;
    boolean addEos = eosId != null && (n == 0 || ids[n - 1] != eosId);
    int[] outIds = addEos ? Arrays.copyOf(ids, n + 1) : ids;
    if (addEos) outIds[n] = eosId;
    int[] labels;
    if (config.mask().policy() == MaskPolicy.ALL || p.prompt().isEmpty()) {
      labels = outIds.clone();
    } else {
      int[] starts = addEos ? Arrays.copyOf(enc.starts(), n + 1) : enc.starts();
      int[] ends = addEos ? Arrays.copyOf(enc.ends(), n + 1) : enc.ends();
      if (addEos) {
        starts[n] = text.length();
        ends[n] = text.length() + 1;
      }
      labels = Labels.of(outIds, starts, ends, List.of(new CharSpan(p.prompt().length(), text.length() + 1)));
    }
    return new Built(outIds, labels, 0);
  }

  /** Applies max-length and overflow; returns the next part number. */
  private int addSamples(Built b, int part, List<Sample> out, boolean plainText) throws Rejected {
    int max = config.length().maxLength();
    int n = b.ids.length;
    if (Labels.countTrained(b.labels) == 0) {
      throw new Rejected(Reason.NO_TRAINABLE_TOKENS, "no token of the " + n + "-token sample is trained");
    }
    if (n <= max) {
      out.add(new Sample(part, 0, b.ids, b.labels, Labels.countTrained(b.labels), n, false));
      return part + 1;
    }
    Overflow o = config.length().overflow();
    if (o == Overflow.DROP || (o == Overflow.SPLIT && !plainText)) throw tooLong(n);
    if (o == Overflow.TRUNCATE) {
      int[] ids = Arrays.copyOf(b.ids, max);
      int[] labels = Arrays.copyOf(b.labels, max);
      int trained = Labels.countTrained(labels);
      if (trained == 0) {
        throw new Rejected(Reason.NO_TRAINABLE_TOKENS, "truncated to " + max + " of " + n
            + " tokens, no trained token is left");
      }
      out.add(new Sample(part, 0, ids, labels, trained, n, true));
      return part + 1;
    }
    for (int from = 0; from < n; from += max) {
      int to = Math.min(n, from + max);
      int[] ids = Arrays.copyOfRange(b.ids, from, to);
      int[] labels = Arrays.copyOfRange(b.labels, from, to);
      out.add(new Sample(part, from / max, ids, labels, Labels.countTrained(labels), n, true));
    }
    return part + 1;
  }

  private Rejected tooLong(int n) {
    Overflow o = config.length().overflow();
    return new Rejected(Reason.TOO_LONG, n + " tokens > max-length " + config.length().maxLength() + " (overflow="
        + o.key() + (o == Overflow.SPLIT ? ", which applies to plain text only" : "") + ")");
  }

  private static void checkUnicode(String text) throws Rejected {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new Rejected(Reason.INVALID_UNICODE, "lone high surrogate U+" + Integer.toHexString(c).toUpperCase()
            + " at char " + i);
      }
      if (Character.isLowSurrogate(c)) {
        throw new Rejected(Reason.INVALID_UNICODE, "lone low surrogate U+" + Integer.toHexString(c).toUpperCase()
            + " at char " + i);
      }
    }
  }
}
