package io.sftprep.udfs;

import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.core.tokenize.HfTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One {@link Preprocessor} (with its own native tokenizer) per thread and {@link PreprocessorSpec}, for threads
 * that run no Spark task (the driver, tests; tasks borrow theirs from {@link PreprocessorPool}): made on the
 * thread's first use and reused by all it does after; never used by two threads at once. A thread keeps
 * its {@value #PER_THREAD} most recently used; an older one is closed when a newer one is opened (by the same
 * thread, so never while in use).
 *
 * <p>Threads come and go. The preprocessors of a thread that has ended are not lost with it: the next thread that
 * needs one takes them over (a thread that has ended uses nothing any more), instead of opening a new tokenizer
 * (up to a second of a core for Qwen3's, and its native memory, which nothing would free: DJL frees a tokenizer only
 * when it is closed).
 */
public final class ThreadPreprocessors {
  static final int PER_THREAD = 4;

  record Opened(Preprocessor preprocessor, HfTokenizer tokenizer) {}

  /** Each live (or ended, not yet reclaimed) thread's preprocessors, by spec key, least recently used first. */
  private static final ConcurrentHashMap<Thread, LinkedHashMap<String, Opened>> BY_THREAD = new ConcurrentHashMap<>();
  /** Preprocessors of ended threads, by spec key, waiting for a thread to take them over. */
  private static final ConcurrentHashMap<String, Queue<Opened>> ORPHANS = new ConcurrentHashMap<>();
  /** At most this many wait in {@link #ORPHANS} (more ended threads than cores, or specs no longer asked for). */
  static final int MAX_ORPHANS = 2 * Runtime.getRuntime().availableProcessors() + 2;
  private static final java.util.concurrent.atomic.AtomicInteger ORPHAN_COUNT =
      new java.util.concurrent.atomic.AtomicInteger();

  private ThreadPreprocessors() {}

  /** The preprocessor of this thread for {@code spec}. */
  public static Preprocessor get(PreprocessorSpec spec) {
    LinkedHashMap<String, Opened> mine =
        BY_THREAD.computeIfAbsent(Thread.currentThread(), t -> new LinkedHashMap<>(8, 0.75f, true));
    Opened o = mine.get(spec.cacheKey());
    if (o == null) {
      reclaimEndedThreads();
      Queue<Opened> orphans = ORPHANS.get(spec.cacheKey());
      o = orphans == null ? null : orphans.poll();
      if (o != null) ORPHAN_COUNT.decrementAndGet();
      if (o == null) {
        try {
          o = spec.open();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot open tokenizer " + spec.tokenizerUri(), e);
        }
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

  /**
   * Moves the preprocessors of threads that have ended to {@link #ORPHANS} (closing those beyond
   * {@link #MAX_ORPHANS}). A thread seen ended by
   * {@link Thread#isAlive} has finished every action it made on them; the atomic remove lets one caller only take
   * each thread's.
   */
  private static void reclaimEndedThreads() {
    for (Map.Entry<Thread, LinkedHashMap<String, Opened>> e : BY_THREAD.entrySet()) {
      if (!e.getKey().isAlive() && BY_THREAD.remove(e.getKey(), e.getValue())) {
        for (Map.Entry<String, Opened> o : e.getValue().entrySet()) {
          if (ORPHAN_COUNT.incrementAndGet() > MAX_ORPHANS) {
            ORPHAN_COUNT.decrementAndGet();
            o.getValue().tokenizer().close();
          } else {
            ORPHANS.computeIfAbsent(o.getKey(), k -> new ConcurrentLinkedQueue<>()).add(o.getValue());
          }
        }
      }
    }
  }

  /** How many preprocessors this thread holds open. */
  static int openOnThisThread() {
    LinkedHashMap<String, Opened> mine = BY_THREAD.get(Thread.currentThread());
    return mine == null ? 0 : mine.size();
  }
}
