package io.sftprep.udfs;

import io.sftprep.core.pipeline.Preprocessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Preprocessors (each with its own native tokenizer) lent to one task at a time: a task borrows one ({@link
 * #forTask}) and gives it back when it ends, so a JVM opens as many as it runs tasks at once, whichever threads run
 * them. The batch job and the SQL functions both take theirs here. (Spark starts a new task thread whenever none
 * is idle at the moment a task is launched, and a thread that has just finished a task is often still reporting
 * it; preprocessors kept per thread opened a third tokenizer on two cores within the first second of a run, half a
 * second of a core each.)
 *
 * <p>Idle ones are kept for the {@value #MAX_SPECS} specs borrowed most recently, at most {@link #MAX_IDLE} each;
 * the rest are closed, so a long-lived driver running job after job (each day's {@code template.now} is a new
 * spec) does not keep every day's tokenizers.
 */
public final class PreprocessorPool {
  static final int MAX_SPECS = 4;
  static final int MAX_IDLE = Runtime.getRuntime().availableProcessors() + 2;

  /** Idle preprocessors by spec key, least recently borrowed spec first; each deque most recently returned first. */
  private static final LinkedHashMap<String, ArrayDeque<ThreadPreprocessors.Opened>> IDLE =
      new LinkedHashMap<>(8, 0.75f, true);

  private PreprocessorPool() {}

  /** A borrowed preprocessor; {@link #close} gives it back (once; later calls do nothing). */
  public static final class Lease implements AutoCloseable {
    private final String key;
    private final ThreadPreprocessors.Opened opened;
    private boolean returned;

    private Lease(String key, ThreadPreprocessors.Opened opened) {
      this.key = key;
      this.opened = opened;
    }

    public Preprocessor preprocessor() {
      if (returned) throw new IllegalStateException("this preprocessor was given back");
      return opened.preprocessor();
    }

    @Override
    public void close() {
      synchronized (this) {
        if (returned) return;
        returned = true;
      }
      giveBack(key, opened);
    }
  }

  /** The leases of running tasks, by task attempt and spec. */
  private static final ConcurrentHashMap<TaskKey, Lease> BY_TASK = new ConcurrentHashMap<>();

  private record TaskKey(long taskAttempt, String spec) {}

  /**
   * A preprocessor for {@code spec}, the running Spark task's until the task ends (then given back for the next
   * task, on whatever thread); the same one for every call of the task, so the SQL functions may ask once per row.
   * Outside a task (no {@link TaskContext}: the driver, tests) this thread's ({@link ThreadPreprocessors}).
   */
  public static Preprocessor forTask(PreprocessorSpec spec) {
    TaskContext task = TaskContext.get();
    if (task == null) return ThreadPreprocessors.get(spec);
    TaskKey key = new TaskKey(task.taskAttemptId(), spec.cacheKey());
    Lease lease = BY_TASK.get(key);
    if (lease == null) {
      Lease borrowed = borrow(spec);
      BY_TASK.put(key, borrowed); // only this task's thread uses its key
      task.addTaskCompletionListener((TaskCompletionListener) ended -> {
        BY_TASK.remove(key);
        borrowed.close();
      });
      lease = borrowed;
    }
    return lease.preprocessor();
  }

  /** An idle preprocessor for {@code spec} (the one given back last), or a new one. */
  public static Lease borrow(PreprocessorSpec spec) {
    String key = spec.cacheKey();
    ThreadPreprocessors.Opened o;
    List<ThreadPreprocessors.Opened> evicted = new ArrayList<>();
    synchronized (IDLE) {
      ArrayDeque<ThreadPreprocessors.Opened> idle = IDLE.get(key);
      if (idle == null) {
        idle = new ArrayDeque<>();
        IDLE.put(key, idle);
        for (Iterator<Map.Entry<String, ArrayDeque<ThreadPreprocessors.Opened>>> it = IDLE.entrySet().iterator();
            IDLE.size() > MAX_SPECS && it.hasNext(); ) {
          evicted.addAll(it.next().getValue());
          it.remove();
        }
      }
      o = idle.pollFirst();
    }
    for (ThreadPreprocessors.Opened e : evicted) e.tokenizer().close();
    if (o == null) {
      try {
        o = spec.open();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open tokenizer " + spec.tokenizerUri(), e);
      }
    }
    return new Lease(key, o);
  }

  private static void giveBack(String key, ThreadPreprocessors.Opened o) {
    boolean kept = false;
    synchronized (IDLE) {
      ArrayDeque<ThreadPreprocessors.Opened> idle = IDLE.get(key);
      if (idle != null && idle.size() < MAX_IDLE) {
        idle.addFirst(o);
        kept = true;
      }
    }
    if (!kept) o.tokenizer().close();
  }

  /** How many idle preprocessors wait for {@code spec}. */
  static int idle(PreprocessorSpec spec) {
    synchronized (IDLE) {
      ArrayDeque<ThreadPreprocessors.Opened> idle = IDLE.get(spec.cacheKey());
      return idle == null ? 0 : idle.size();
    }
  }
}
