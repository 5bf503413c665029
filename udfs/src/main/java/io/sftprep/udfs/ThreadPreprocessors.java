package io.sftprep.udfs;

import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.core.tokenize.HfTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@link Preprocessor} (with its own native tokenizer) per thread and {@link PreprocessorSpec}, made on the
 * thread's first use and reused by every task that thread runs; never shared between threads, since a DJL
 * tokenizer must not be used by two threads at once. A thread keeps its {@value #PER_THREAD} most recently used;
 * an older one is closed when a newer one is opened (by the same thread, so never while in use).
 */
public final class ThreadPreprocessors {
  static final int PER_THREAD = 4;

  record Opened(Preprocessor preprocessor, HfTokenizer tokenizer) {}

  private static final ThreadLocal<LinkedHashMap<String, Opened>> MINE =
      ThreadLocal.withInitial(() -> new LinkedHashMap<>(8, 0.75f, true));

  private ThreadPreprocessors() {}

  /** The preprocessor of this thread for {@code spec}. */
  public static Preprocessor get(PreprocessorSpec spec) {
    LinkedHashMap<String, Opened> mine = MINE.get();
    Opened o = mine.get(spec.cacheKey());
    if (o == null) {
      try {
        o = spec.open();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open tokenizer " + spec.tokenizerUri(), e);
      }
      mine.put(spec.cacheKey(), o);
      if (mine.size() > PER_THREAD) {
        Map.Entry<String, Opened> eldest = mine.entrySet().iterator().next();
        mine.remove(eldest.getKey());
        eldest.getValue().tokenizer().close();
      }
    }
    return o.preprocessor();
  }

  /** How many preprocessors this thread holds open. */
  static int openOnThisThread() {
    return MINE.get().size();
  }
}
