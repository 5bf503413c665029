package io.sftprep.job.bench;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.json.Json;
import io.sftprep.core.json.JsonWriter;
import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.core.pipeline.RenderedRecord;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
import io.sftprep.core.tokenize.TokenLengths;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntBiFunction;

/**
 * The benchmark's ceiling, run as its own JVM: renders every conversation of a corpus with sftprep's own path
 * (untimed, all cores), then times only the tokenizer encoding those texts on all cores, one tokenizer per thread,
 * through the two native calls sftprep has: {@code offsets} (ids and per-token character spans, what sftprep calls
 * for tokenizers without fixed token byte lengths) and {@code ids} (ids only, what it calls for byte-level BPE such
 * as Qwen3, Llama 3 and DeepSeek), the two taking turns; the median run of each counts. Writes its figures as JSON,
 * with the call sftprep makes for this tokenizer.
 *
 * <pre>{@code java ... io.sftprep.job.bench.Ceiling CORPUS TOKENIZER_DIR THREADS REPEATS OUT.json}</pre>
 */
public final class Ceiling {
  private Ceiling() {}

  /** A native encode call; returns the number of tokens. */
  private enum Call {
    OFFSETS((t, s) -> t.encode(s).size()),
    IDS((t, s) -> t.encodeIds(s).length);

    final ToIntBiFunction<HfTokenizer, String> encode;

    Call(ToIntBiFunction<HfTokenizer, String> encode) {
      this.encode = encode;
    }
  }

  public static void main(String[] argv) throws Exception {
    Path corpus = Paths.get(argv[0]);
    Path tokDir = Paths.get(argv[1]);
    int threads = Integer.parseInt(argv[2]);
    int repeats = Integer.parseInt(argv[3]);
    Path out = Paths.get(argv[4]);

    List<String> lines = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      for (String l; (l = r.readLine()) != null; ) if (!l.isBlank()) lines.add(l);
    }
    long t0 = System.nanoTime();
    String[] texts = render(lines, tokDir, threads);
    double renderSeconds = (System.nanoTime() - t0) / 1e9;
    lines = null;
    long chars = 0;
    for (String t : texts) chars += t.length();

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("texts", texts.length);
    result.put("chars", chars);
    result.put("threads", threads);
    result.put("render_s", renderSeconds);
    long tokens = -1;
    // the calls take turns, so a moment of contention from outside does not fall on one call's runs only
    Map<Call, List<Map<String, Object>>> byCall = new java.util.EnumMap<>(Call.class);
    for (int i = 0; i < repeats; i++) {
      for (Call call : Call.values()) {
        Map<String, Object> run = encodeAll(texts, tokDir, threads, call);
        long n = (Long) run.get("tokens");
        if (tokens >= 0 && n != tokens) {
          throw new IllegalStateException(call + " gave " + n + " tokens, another call gave " + tokens);
        }
        tokens = n;
        byCall.computeIfAbsent(call, k -> new ArrayList<>()).add(run);
      }
    }
    for (Call call : Call.values()) {
      List<Map<String, Object>> runs = byCall.get(call);
      runs.sort((a, b) -> Double.compare((Double) a.get("tokens_per_s"), (Double) b.get("tokens_per_s")));
      Map<String, Object> median = new LinkedHashMap<>(runs.get(runs.size() / 2));
      List<Object> all = new ArrayList<>();
      for (Map<String, Object> r : runs) all.add(r.get("tokens_per_s"));
      median.put("runs_tokens_per_s", all);
      result.put(call.name().toLowerCase(), median);
    }
    result.put("tokens", tokens);
    // the call sftprep makes for this tokenizer: ids only when its tokens have fixed byte lengths
    result.put("sftprep_call", TokenLengths.load(tokDir.resolve("tokenizer.json")) != null ? "ids" : "offsets");
    Files.writeString(out, JsonWriter.compact(result));
  }

  /** Full renderings ({@code add_generation_prompt=false}) of every conversation, on all threads. */
  private static String[] render(List<String> lines, Path tokDir, int threads) throws Exception {
    ModelFiles files = ModelFiles.load(tokDir);
    SftConfig config = SftConfig.defaultConfig();
    LocalDateTime now = LocalDateTime.now().withNano(0);
    List<List<String>> perThread = new ArrayList<>();
    AtomicInteger next = new AtomicInteger();
    runThreads(threads, t -> {
      List<String> mine = new ArrayList<>();
      synchronized (perThread) {
        perThread.add(mine);
      }
      try (HfTokenizer tok = HfTokenizer.open(tokDir)) {
        Preprocessor p = new Preprocessor(config, files, tok, files.chatTemplate(), now);
        for (int i; (i = next.getAndIncrement()) < lines.size(); ) {
          RenderedRecord rr = p.render(Json.parseObject(lines.get(i)));
          for (RenderedRecord.Part part : rr.parts()) mine.add(part.text());
        }
      }
    });
    List<String> all = new ArrayList<>();
    for (List<String> l : perThread) all.addAll(l);
    return all.toArray(new String[0]);
  }

  /** Encodes every text once on {@code threads} threads (after a short untimed warm-up each); wall and CPU time. */
  private static Map<String, Object> encodeAll(String[] texts, Path tokDir, int threads, Call call)
      throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    AtomicInteger next = new AtomicInteger();
    AtomicLong tokens = new AtomicLong();
    AtomicLong cpuNanos = new AtomicLong();
    long[] t0 = new long[1];
    CyclicBarrier warm = new CyclicBarrier(threads, () -> t0[0] = System.nanoTime());
    runThreads(threads, t -> {
      try (HfTokenizer tok = HfTokenizer.open(tokDir)) {
        for (int i = 0; i < Math.min(200, texts.length); i++) call.encode.applyAsInt(tok, texts[i]);
        warm.await();
        long c0 = mx.getCurrentThreadCpuTime();
        long n = 0;
        for (int i; (i = next.getAndAdd(16)) < texts.length; ) {
          for (int j = i; j < Math.min(texts.length, i + 16); j++) n += call.encode.applyAsInt(tok, texts[j]);
        }
        cpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - c0);
        tokens.addAndGet(n);
      }
    });
    double wall = (System.nanoTime() - t0[0]) / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tokens", tokens.get());
    m.put("wall_s", wall);
    m.put("cpu_s", cpuNanos.get() / 1e9);
    m.put("tokens_per_s", tokens.get() / wall);
    m.put("tokens_per_cpu_s", tokens.get() / (cpuNanos.get() / 1e9));
    return m;
  }

  private interface Body {
    void run(int thread) throws Exception;
  }

  /** Runs {@code body} on {@code threads} new threads and waits for all; rethrows the first failure. */

  private static void runThreads(int threads, Body body) throws Exception {
    Thread[] ts = new Thread[threads];
    Exception[] failed = new Exception[1];
    for (int t = 0; t < threads; t++) {
      int id = t;
      ts[t] = new Thread(() -> {
        try {
          body.run(id);
        } catch (Exception e) {
          failed[0] = e;
        }
      });
      ts[t].start();
    }
    for (Thread t : ts) t.join();
    if (failed[0] != null) throw failed[0];
  }
}
