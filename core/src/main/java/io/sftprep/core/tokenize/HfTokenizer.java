package io.sftprep.core.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Hugging Face fast tokenizer ({@code tokenizer.json}) through DJL's binding, set up as sftprep needs it: no
 * special tokens added (the chat template already wrote them), no truncation (DJL's {@code newInstance} would
 * silently cut at 512 tokens), no padding. Encodes a whole text once and returns ids with per-token character
 * ranges converted from DJL's code-point offsets to Java char offsets. One instance per thread; closing twice is
 * harmless.
 */
public final class HfTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer djl;
  private final TokenLengths lengths; // null: offsets are always asked of the tokenizer
  private final AtomicBoolean closed = new AtomicBoolean();

  private HfTokenizer(HuggingFaceTokenizer djl, TokenLengths lengths) {
    this.djl = djl;
    this.lengths = lengths;
  }

  /** Per-token byte lengths when this tokenizer has fixed ones (see {@link TokenLengths}), else null. */
  public TokenLengths lengths() {
    return lengths;
  }

  /**
   * A tokenizer of {@code dir}: one opened ahead ({@link #spare}) while its {@code tokenizer.json} is unchanged,
   * else a new one. Opening parses the whole {@code tokenizer.json} natively (0.7 to 1.0 s of a core for Qwen3's), so
   * a job opens its task threads' tokenizers while Spark starts and the first tasks find them ready. When none is
   * ready but one is being opened ahead ({@link #promise}), this waits for it (up to {@link #WAIT_MS} ms) rather
   * than open another beside it on the same cores. Either way the caller owns the tokenizer: no other caller gets
   * it.
   */
  public static HfTokenizer open(Path dir) throws IOException {
    Spares spares = sparesOf(dir);
    String current = null;
    for (Spare s; (s = spares.take()) != null; ) {
      if (s.tokenizer == null) break; // a promised one that could not be opened
      if (current == null) current = stamp(dir);
      if (s.stamp.equals(current)) return s.tokenizer;
      s.tokenizer.close(); // the file changed since
    }
    return openNew(dir);
  }

  /** How long {@link #open} waits for a promised spare. */
  static final long WAIT_MS = 30_000;

  /** Says that {@code n} spares of {@code dir} are being opened: each will come by {@link #spare} or {@link #withdraw}. */
  public static void promise(Path dir, int n) {
    sparesOf(dir).promise(n);
  }

  /**
   * Hands {@code tokenizer}, opened from {@code dir} (with {@link #openNew}) and no longer used by the caller, to a
   * later {@link #open} of the same folder (or one waiting for a promised spare).
   */
  public static void spare(Path dir, HfTokenizer tokenizer, String stamp) {
    sparesOf(dir).add(new Spare(tokenizer, stamp));
  }

  /** {@code n} promised spares will not come: whoever waits for one opens its own. */
  public static void withdraw(Path dir, int n) {
    for (int i = 0; i < n; i++) sparesOf(dir).add(new Spare(null, null));
  }

  /** The size and modification time of {@code dir}'s {@code tokenizer.json}: a spare is used only while it holds. */
  public static String stamp(Path dir) throws IOException {
    Path f = dir.resolve("tokenizer.json");
    return java.nio.file.Files.size(f) + "@" + java.nio.file.Files.getLastModifiedTime(f).toMillis();
  }

  /** How many spares of {@code dir} are ready. */
  public static int spares(Path dir) {
    return sparesOf(dir).ready();
  }

  private record Spare(HfTokenizer tokenizer, String stamp) {}

  /**
   * The spares of one folder: those ready, how many promised ones have not come yet, and how many callers wait for
   * one. Every promise yields exactly one entry (a tokenizer, or a marker that none is coming). A caller takes a
   * ready entry when there are more than callers waiting, waits when more are still to come than callers wait, and
   * else opens its own; so no waiting caller is left without one, and nobody waits for one already taken.
   */
  private static final class Spares {
    private final java.util.ArrayDeque<Spare> ready = new java.util.ArrayDeque<>();
    private int coming;
    private int waiting;

    synchronized void promise(int n) {
      coming += n;
    }

    synchronized void add(Spare s) {
      if (coming > 0) coming--;
      ready.add(s);
      notifyAll();
    }

    synchronized int ready() {
      return ready.size();
    }

    /** A ready entry, or one still to come (waiting for it), or null. */
    synchronized Spare take() {
      if (ready.size() > waiting) return ready.poll();
      if (coming <= waiting) return null;
      waiting++;
      try {
        long end = System.nanoTime() + WAIT_MS * 1_000_000;
        for (long left; ready.isEmpty() && (left = end - System.nanoTime()) > 0; ) {
          wait(Math.max(1, left / 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        waiting--;
      }
      return ready.poll();
    }
  }

  private static final java.util.concurrent.ConcurrentMap<Path, Spares> SPARES =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static Spares sparesOf(Path dir) {
    Path key;
    try {
      key = dir.toRealPath();
    } catch (IOException e) {
      key = dir.toAbsolutePath().normalize();
    }
    return SPARES.computeIfAbsent(key, k -> new Spares());
  }

  /** A new tokenizer of {@code dir}, never a spare. */
  public static HfTokenizer openNew(Path dir) throws IOException {
    HuggingFaceTokenizer t = HuggingFaceTokenizer.builder()
        .optTokenizerPath(dir)
        .optAddSpecialTokens(false)
        .optTruncation(false)
        .optPadding(false)
        .optWithOverflowingTokens(false)
        .build();
    return new HfTokenizer(t, TokenLengths.load(dir.resolve("tokenizer.json")));
  }

  /** Whether the tokenizer's own post-processor may add its special tokens (BOS, ...) to an encoding. */
  public enum SpecialTokens { NONE, ADD }

  /** Ids and char offsets of {@code text}, adding no special tokens. */
  public Encoded encode(String text) {
    return encode(text, SpecialTokens.NONE);
  }

  /** Ids and char offsets of {@code text}, through the JNI calls for just those two arrays. */
  public Encoded encode(String text, SpecialTokens special) {
    if (closed.get()) throw new IllegalStateException("tokenizer is closed");
    TokenizeEvent event = new TokenizeEvent();
    event.begin();
    long enc = TokenizersLibrary.LIB.encode(djl.getHandle(), text, special == SpecialTokens.ADD);
    try {
      long[] ids = TokenizersLibrary.LIB.getTokenIds(enc);
      CharSpan[] spans = TokenizersLibrary.LIB.getTokenCharSpans(enc);
      int n = ids.length;
      event.tokens = n;
      int[] out = new int[n];
      int[] starts = new int[n];
      int[] ends = new int[n];
      for (int i = 0; i < n; i++) out[i] = (int) ids[i];
      CodePointIndex idx = CodePointIndex.of(text);
      int last = 0;
      for (int i = 0; i < n; i++) {
        CharSpan s = spans[i];
        if (s == null) { // a token with no source characters: place it where the previous one ended
          starts[i] = last;
          ends[i] = last;
        } else {
          starts[i] = idx.toChar(s.getStart());
          ends[i] = idx.toChar(s.getEnd());
          last = ends[i];
        }
      }
      return new Encoded(out, starts, ends);
    } finally {
      TokenizersLibrary.LIB.deleteEncoding(enc);
      commit(event, text);
    }
  }

  /** Ids only (no offsets): the cheapest call, for plain-text samples and benchmarks. */
  public int[] encodeIds(String text) {
    if (closed.get()) throw new IllegalStateException("tokenizer is closed");
    TokenizeEvent event = new TokenizeEvent();
    event.begin();
    long enc = TokenizersLibrary.LIB.encode(djl.getHandle(), text, false);
    try {
      long[] ids = TokenizersLibrary.LIB.getTokenIds(enc);
      int[] out = new int[ids.length];
      for (int i = 0; i < ids.length; i++) out[i] = (int) ids[i];
      event.tokens = out.length;
      return out;
    } finally {
      TokenizersLibrary.LIB.deleteEncoding(enc);
      commit(event, text);
    }
  }

  private static void commit(TokenizeEvent event, String text) {
    if (event.shouldCommit()) {
      event.chars = text.length();
      event.commit();
    }
  }

  /** The id of a token given by its text (a special token such as {@code <|im_end|>}), or null. */
  public Integer tokenId(String token) {
    if (token == null) return null;
    int[] ids = encodeIds(token);
    return ids.length == 1 ? ids[0] : null;
  }

  public String decode(int[] ids) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) l[i] = ids[i];
    return djl.decode(l, false);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) djl.close();
  }

  /** Maps code-point offsets to char offsets; the identity for text without surrogate pairs. */
  static final class CodePointIndex {
    private final int[] charAt; // null when identity

    private CodePointIndex(int[] charAt) {
      this.charAt = charAt;
    }

    static CodePointIndex of(String text) {
      boolean surrogates = false;
      for (int i = 0; i < text.length(); i++) {
        if (Character.isSurrogate(text.charAt(i))) {
          surrogates = true;
          break;
        }
      }
      if (!surrogates) return new CodePointIndex(null);
      int cps = text.codePointCount(0, text.length());
      int[] m = new int[cps + 1];
      int c = 0;
      for (int i = 0; i < text.length(); ) {
        m[c++] = i;
        i += Character.charCount(text.codePointAt(i));
      }
      m[cps] = text.length();
      return new CodePointIndex(m);
    }

    int toChar(int codePoint) {
      if (charAt == null) return codePoint;
      if (codePoint >= charAt.length) return charAt[charAt.length - 1];
      return charAt[Math.max(0, codePoint)];
    }
  }
}
