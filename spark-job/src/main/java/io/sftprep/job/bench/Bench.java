package io.sftprep.job.bench;

import io.sftprep.core.json.Json;
import io.sftprep.core.json.JsonWriter;
import io.sftprep.job.cli.Args;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code sftprep bench}: generates a seeded corpus, then runs each route as its own process on the same corpus
 * and cores and prints tokens/s, ratios, peak memory, output bytes per token and, for sftprep, where its time
 * went (a JFR recording of the run). Modes:
 *
 * <ul>
 *   <li>{@code full} (default, about 200 MB): (1) the ceiling, the tokenizer alone on the rendered texts
 *       ({@link Ceiling}); (2) {@code sftprep run}, Spark {@code local[*]}, default config; (3) the Python peer
 *       ({@code deploy/bench/python_peer.py}: {@code datasets} + {@code transformers}, {@code num_proc} = cores).
 *   <li>{@code small}: the same on 5,000 conversations, each route three times (medians).
 *   <li>{@code startup}: {@code sftprep run} on 1,000 conversations against an empty Spark job in the same JVM
 *       setup ({@link SparkStartup}), three times each; the empty job both as Spark starts by itself and with
 *       sftprep's class-data archive.
 *   <li>{@code memory}: {@code sftprep run} on the corpus and on one ten times larger, both with a 1 GB heap
 *       ({@code -Xmx1g}, {@code spark.driver.memory} and {@code spark.executor.memory} 1g); peak RSS compared.
 * </ul>
 *
 * {@code sftprep run} is started as the launcher starts it, with the class-data archive the launcher names in
 * {@code SFTPREP_CDS_ARCHIVE} (made first, by a run on 1,000 conversations, when it does not exist yet), and with the
 * allocator it preloads ({@code SFTPREP_ALLOCATOR}, in {@code LD_PRELOAD}); so is the ceiling, the same tokenizer
 * in the same process setup. The Python peer runs as its users run it, without that allocator.
 *
 * Tokens/s of every route divide the same count, the tokens of every rendered chat of the corpus (what the
 * ceiling encodes; sftprep and the peer tokenize exactly these texts, then drop those over {@code max-length}).
 */
public final class Bench {
  static final String USAGE = String.join("\n",
      "usage: sftprep bench [--mode full|small|startup|memory] [--size 200MB | --conversations N] [--seed 42]",
      "                     [--routes ceiling,sftprep,python] [--repeat N] [--tokenizer DIR] [--work DIR] [--keep]",
      "       sftprep bench --generate FILE [--size 200MB | --conversations N] [--seed 42]",
      "  --size: bytes of JSONL (KB, MB, GB: powers of 1000); full and memory modes (memory adds a 10x corpus)",
      "  --tokenizer: default $SFTPREP_CACHE/tokenizers/qwen3; --work: default $TMPDIR/sftprep-bench");

  private final Path work;
  private final Path tokenizer;
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final long seed;
  private final boolean keep;
  private final Map<String, Object> report = new LinkedHashMap<>();
  /** The launcher's class-data archive for this jar, or null (SFTPREP_CDS=0, or not started by the launcher). */
  private final Path archive = System.getenv("SFTPREP_CDS_ARCHIVE") == null ? null
      : Paths.get(System.getenv("SFTPREP_CDS_ARCHIVE"));

  private Bench(Path work, Path tokenizer, long seed, boolean keep) {
    this.work = work;
    this.tokenizer = tokenizer;
    this.seed = seed;
    this.keep = keep;
  }

  public static int run(String[] argv) throws Exception {
    Args a = Args.parse(argv, Set.of("keep"), Set.of("mode", "size", "conversations", "seed", "tokenizer", "routes",
        "work", "repeat", "generate"));
    long seed = a.get("seed") == null ? 42 : Long.parseLong(a.get("seed"));
    String mode = a.get("mode") == null ? "full" : a.get("mode");
    CorpusGenerator.Size size = a.get("conversations") != null
        ? CorpusGenerator.Size.ofConversations(Long.parseLong(a.get("conversations")))
        : a.get("size") != null ? CorpusGenerator.Size.ofBytes(parseBytes(a.get("size")))
        : mode.equals("small") ? CorpusGenerator.Size.ofConversations(5000)
        : mode.equals("startup") ? CorpusGenerator.Size.ofConversations(1000)
        : CorpusGenerator.Size.ofBytes(200_000_000L);
    if (a.get("generate") != null) {
      CorpusGenerator.Written w = CorpusGenerator.write(Paths.get(a.get("generate")), seed, size);
      System.out.printf("wrote %s: %,d conversations, %,d bytes%n", w.file(), w.conversations(), w.bytes());
      return 0;
    }
    Path tok = Paths.get(a.get("tokenizer") != null ? a.get("tokenizer")
        : cache().resolve("tokenizers").resolve("qwen3").toString());
    if (!Files.exists(tok.resolve("tokenizer.json"))) {
      throw new IllegalArgumentException("no tokenizer.json in " + tok + "; run deploy/bin/sftprep fetch-tokenizer "
          + "qwen3 or give --tokenizer DIR");
    }
    Path work = Paths.get(a.get("work") != null ? a.get("work")
        : Paths.get(System.getProperty("java.io.tmpdir"), "sftprep-bench").toString());
    Files.createDirectories(work);
    Bench b = new Bench(work.toAbsolutePath(), tok.toAbsolutePath(), seed, a.has("keep"));
    int repeat = a.get("repeat") != null ? Integer.parseInt(a.get("repeat")) : mode.equals("full") ? 1 : 3;
    List<String> routes = List.of((a.get("routes") == null ? "ceiling,sftprep,python" : a.get("routes")).split(","));
    b.report.put("mode", mode);
    b.report.put("started", Instant.now().toString());
    b.report.put("cores", b.cores);
    b.report.put("tokenizer", tok.toString());
    b.makeArchive();
    b.report.put("class_archive", b.archive == null ? null : b.archive.toString());
    b.report.put("allocator", ALLOCATOR == null ? "none preloaded" : ALLOCATOR);
    switch (mode) {
      case "full":
      case "small":
        b.compare(size, routes, repeat);
        break;
      case "startup":
        b.startup(size, repeat);
        break;
      case "memory":
        b.memory(size);
        break;
      default:
        throw new IllegalArgumentException("unknown --mode " + mode + "\n" + USAGE);
    }
    Path out = work.resolve("bench-" + mode + "-" + Instant.now().toString().replace(":", "") + ".json");
    Files.writeString(out, JsonWriter.python("  ", null, null, false, false, String::valueOf).write(b.report));
    System.out.println("\nfigures: " + out);
    return 0;
  }

  // ---- modes

  /** The three routes on one corpus, side by side. */
  private void compare(CorpusGenerator.Size size, List<String> routes, int repeat) throws Exception {
    Corpus corpus = corpus(size);
    Map<String, Object> ceiling = null;
    Run sftprep = null;
    Run profiled = null;
    Run python = null;
    int ceilingRuns = Math.max(3, repeat);
    boolean paired = routes.contains("ceiling") && routes.contains("sftprep");
    List<Pair> pairs = new ArrayList<>();
    if (paired) {
      // The host's speed drifts by a fifth or more over minutes, so the ceiling and sftprep take turns, each
      // sftprep run right after a ceiling run; the ratio is the median of the pairs' ratios
      List<Map<String, Object>> ceilings = new ArrayList<>();
      List<Run> runs = new ArrayList<>();
      for (int i = 0; i < ceilingRuns; i++) {
        Map<String, Object> c = ceiling(corpus, 1);
        Run r = sftprep(corpus, "sftprep", List.of(), false);
        pairs.add(new Pair(callWall(c, (String) c.get("sftprep_call")), r.usage.wallSeconds()));
        ceilings.add(c);
        runs.add(r);
      }
      ceilings.sort(Comparator.comparingDouble(c -> callWall(c, (String) c.get("sftprep_call"))));
      ceiling = ceilings.get(ceilings.size() / 2);
      sftprep = median(runs);
    } else if (routes.contains("ceiling")) {
      ceiling = ceiling(corpus, ceilingRuns);
    }
    if (routes.contains("sftprep")) {
      // timed without the profiler (its samples of deep stacks and its dump at exit cost the run several seconds);
      // the profile comes from one more run of its own, whose wall time is reported beside the timed ones
      Run timed = paired ? sftprep : median(repeat, i -> sftprep(corpus, "sftprep", List.of(), false));
      profiled = sftprep(corpus, "sftprep-profiled", List.of(), true);
      Map<String, Object> info = new LinkedHashMap<>(timed.info);
      info.put("profiled_run_wall_s", profiled.usage.wallSeconds());
      info.put("profiled_run_cpu_s", profiled.usage.cpuSeconds());
      info.put("profiled_run_cpu_by_threads_s", profiled.usage.cpuByThreads());
      sftprep = new Run(timed.usage, info, profiled.profile);
    }
    if (routes.contains("python")) python = median(repeat, i -> python(corpus));
    long tokens = ceiling != null ? ((Number) ceiling.get("tokens")).longValue()
        : python != null ? python.info.get("tokens") instanceof Number n ? n.longValue() : -1 : -1;

    System.out.printf("%ncorpus %s: %,d conversations, %.1f MB, seed %d; %,d tokens in its rendered chats%s; "
        + "%d cores (ceiling: median of %d runs of each call%s)%n", corpus.file.getFileName(), corpus.conversations,
        corpus.bytes / 1e6, seed, tokens, tokens < 0 ? " (unknown: give the ceiling or python route)" : "", cores,
        ceilingRuns, paired ? ", each followed by a timed sftprep run" : "");
    System.out.println("allocator: " + (ALLOCATOR == null ? "the C library's (none preloaded)" : ALLOCATOR
        + " for the ceiling and sftprep, the C library's for Python"));
    System.out.printf("%-46s %9s %12s %12s %10s %10s %9s%n", "route", "wall s", "tokens/s", "tok/CPU-s",
        "peak RSS", "peak PSS", "out B/tok");
    System.out.println("  (peak RSS: the route's main process, its kernel high-water mark; peak PSS: all its processes,"
        + " shared pages counted once, sampled every 0.5 s)");
    Map<String, Object> figures = new LinkedHashMap<>();
    String ratioCall = ceiling == null ? null : (String) ceiling.get("sftprep_call");
    if (ceiling != null) {
      for (String call : List.of("ids", "offsets")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> c = (Map<String, Object>) ceiling.get(call);
        String name = "1 ceiling: DJL " + (call.equals("ids") ? "ids-only encode" : "encode with offsets")
            + (call.equals(ratioCall) ? " (ratio)" : "");
        double w = ((Number) c.get("wall_s")).doubleValue();
        System.out.printf("%-46s %9.1f %12s %12s %10s %10s %9s%n", name, w, rate(tokens / w),
            rate(((Number) c.get("tokens_per_cpu_s")).doubleValue()), mb(ceiling.get("peak_rss")),
            mb(ceiling.get("peak_pss")), "");
      }
      figures.put("ceiling", ceiling);
    }
    if (sftprep != null) {
      printRun("2 sftprep run, local[*], default config", sftprep, tokens);
      figures.put("sftprep", sftprep.toMap(tokens));
    }
    if (python != null) {
      printRun("3 python: datasets.map(num_proc=" + cores + ") + to_parquet", python, tokens);
      figures.put("python", python.toMap(tokens));
    }
    if (paired) {
      List<Double> ratios = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      List<Object> maps = new ArrayList<>();
      for (Pair p : pairs) {
        ratios.add(p.ratio());
        texts.add(String.format("%.1f / %.1f s = %.2f", p.ceilingWall(), p.sftprepWall(), p.ratio()));
        maps.add(p.toMap());
      }
      double ratio = medianOf(ratios);
      System.out.printf("ratio 2/1 (sftprep / ceiling): %.2f, the median of %d pairs (ceiling run, then sftprep run: "
          + "%s), against the %s call, the one sftprep makes for this tokenizer (%s)%n", ratio, pairs.size(),
          String.join("; ", texts), ratioCall.equals("ids") ? "ids-only" : "offsets",
          ratioCall.equals("ids") ? "its tokens have fixed byte lengths, so spans come from ids" : "it needs offsets");
      figures.put("ratio_sftprep_ceiling", ratio);
      figures.put("ceiling_sftprep_pairs", maps);
    }
    if (sftprep != null && python != null) {
      System.out.printf("ratio 2/3 (sftprep / python): %.2f%n", python.usage.wallSeconds() / sftprep.usage.wallSeconds());
      figures.put("ratio_sftprep_python", python.usage.wallSeconds() / sftprep.usage.wallSeconds());
    }
    if (sftprep != null && python != null) {
      Object a = sftprep.info.get("written_tokens");
      Object b = python.info.get("written_tokens");
      System.out.printf("same work: written tokens sftprep %,d, python %,d (%s); trained sftprep %,d, python %,d%n",
          a, b, String.valueOf(a).equals(String.valueOf(b)) ? "equal" : "DIFFER", sftprep.info.get("trained"),
          python.info.get("trained"));
    }
    if (profiled != null && profiled.profile != null) {
      System.out.printf("%nwhere sftprep's time went (JFR: execution samples every %d ms, tokenizer and shard-write "
          + "events, GC pauses; from a run of its own, %.1f s wall under the recording):%n", JfrProfile.PERIOD_MS,
          ((Number) sftprep.info.get("profiled_run_wall_s")).doubleValue());
      printProfile(profiled.profile, profiled.usage);
    }
    report.put("corpus", corpus.toMap());
    report.put("tokens", tokens);
    report.put("routes", figures);
  }

  /**
   * 1,000 records through sftprep against an empty Spark job, started as Spark starts by itself and with sftprep's
   * class-data archive (the runs take turns).
   */
  private void startup(CorpusGenerator.Size size, int repeat) throws Exception {
    Corpus corpus = corpus(size);
    List<Double> spark = new ArrayList<>();
    List<Double> sparkArchived = new ArrayList<>();
    List<Double> run = new ArrayList<>();
    for (int i = 0; i < repeat; i++) {
      spark.add(emptySparkJob(List.of()));
      if (!archiveFlags().isEmpty()) sparkArchived.add(emptySparkJob(archiveFlags()));
      run.add(sftprep(corpus, "startup", List.of(), false).usage.wallSeconds());
    }
    double s = medianOf(spark);
    double r = medianOf(run);
    System.out.printf("%nstartup: %,d conversations; medians of %d: empty Spark job (local[*], start, one trivial "
        + "job, stop) %.1f s, sftprep run %.1f s; ratio %.2f (goal < 2)%n", corpus.conversations, repeat, s, r, r / s);
    System.out.println("  empty Spark job runs: " + spark + "; sftprep runs: " + run);
    if (!sparkArchived.isEmpty()) {
      double a = medianOf(sparkArchived);
      System.out.printf("  the empty Spark job with sftprep's class-data archive too: %.1f s (runs %s); sftprep run "
          + "against it: %.2f%n", a, sparkArchived, r / a);
      report.put("spark_startup_with_archive_s", sparkArchived);
      report.put("ratio_to_archived_spark", r / a);
    }
    report.put("corpus", corpus.toMap());
    report.put("spark_startup_s", spark);
    report.put("sftprep_s", run);
    report.put("ratio", r / s);
  }

  private double emptySparkJob(List<String> flags) throws Exception {
    ProcessWatch.Usage u = ProcessWatch.run(java(flags, SparkStartup.class.getName(), List.of()), env(),
        work.resolve("spark-startup.log"));
    check(u, "the empty Spark job", work.resolve("spark-startup.log"));
    return u.wallSeconds();
  }

  // ---- the class-data archive

  /** The JVM's messages about a class-data archive, silenced as the launcher silences them. */
  private static final List<String> QUIET_CDS = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

  /** The flags that map the launcher's class-data archive, or none when there is none. */
  private List<String> archiveFlags() {
    if (archive == null || !Files.isRegularFile(archive)) return List.of();
    List<String> flags = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive));
    flags.addAll(QUIET_CDS);
    return flags;
  }

  /** Makes the launcher's archive, as the launcher's first run would, when it names one that does not exist. */
  private void makeArchive() throws Exception {
    if (archive == null || Files.isRegularFile(archive)) return;
    Path tmp = archive.resolveSibling(archive.getFileName() + ".bench.tmp");
    Files.createDirectories(archive.getParent());
    System.out.println("making the class-data archive the launcher's runs use (once per jar): " + archive);
    List<String> flags = new ArrayList<>(List.of("-XX:ArchiveClassesAtExit=" + tmp));
    flags.addAll(QUIET_CDS);
    sftprep(corpus(CorpusGenerator.Size.ofConversations(1000)), "archive", flags, false);
    Files.move(tmp, archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    // as the launcher does: two archives of other jars stay (a second checkout may share the cache), older ones go
    List<Path> others = new ArrayList<>();
    try (var listing = Files.newDirectoryStream(archive.getParent(), "sftprep-*.jsa")) {
      for (Path p : listing) if (!p.equals(archive)) others.add(p);
    }
    others.sort(Comparator.comparingLong((Path p) -> p.toFile().lastModified()).reversed());
    for (Path old : others.subList(Math.min(2, others.size()), others.size())) Files.deleteIfExists(old);
  }

  /** The corpus and one ten times its size, both with a 1 GB heap. */
  private void memory(CorpusGenerator.Size size) throws Exception {
    CorpusGenerator.Size big = size.conversations() > 0 ? CorpusGenerator.Size.ofConversations(size.conversations() * 10)
        : CorpusGenerator.Size.ofBytes(size.bytes() * 10);
    List<String> oneGig = List.of("-Xmx1g", "-Dspark.driver.memory=1g", "-Dspark.executor.memory=1g");
    Map<String, Object> m = new LinkedHashMap<>();
    System.out.printf("%n%-34s %12s %9s %12s %10s %10s%n", "memory mode (-Xmx1g)", "conversations", "wall s",
        "written tok/s", "peak RSS", "peak PSS");
    Run[] runs = new Run[2];
    CorpusGenerator.Size[] sizes = {size, big};
    for (int i = 0; i < 2; i++) {
      Corpus c = corpus(sizes[i]);
      runs[i] = sftprep(c, i == 0 ? "memory-1x" : "memory-10x", oneGig, false);
      Number written = (Number) runs[i].info.get("written_tokens");
      System.out.printf("%-34s %,12d %9.1f %12s %10s %10s%n", (i == 0 ? "1x " : "10x ") + c.file.getFileName(),
          c.conversations, runs[i].usage.wallSeconds(), rate(written.doubleValue() / runs[i].usage.wallSeconds()),
          mb(runs[i].usage.peakRssBytes()), mb(runs[i].usage.peakPssBytes()));
      m.put(i == 0 ? "1x" : "10x", Map.of("corpus", c.toMap(), "run", runs[i].toMap(written.longValue())));
    }
    double ratio = (double) runs[1].usage.peakRssBytes() / runs[0].usage.peakRssBytes();
    System.out.printf("peak RSS 10x / 1x: %.2f (goal <= 1.10)%n", ratio);
    m.put("rss_ratio", ratio);
    report.put("memory", m);
  }

  // ---- routes

  /** A finished route: what it cost, what it said about its output, and (sftprep) its profile. */
  private record Run(ProcessWatch.Usage usage, Map<String, Object> info, Map<String, Double> profile) {
    Map<String, Object> toMap(long tokens) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("wall_s", usage.wallSeconds());
      m.put("cpu_s", usage.cpuSeconds());
      m.put("tokens_per_s", tokens / usage.wallSeconds());
      m.put("peak_rss", usage.peakRssBytes());
      m.put("peak_pss", usage.peakPssBytes());
      m.putAll(info);
      m.put("cpu_by_threads_s", usage.cpuByThreads());
      if (profile != null) m.put("profile_s", profile);
      return m;
    }
  }

  private interface Route {
    Run run(int index) throws Exception;
  }

  /** Runs a route {@code n} times; the run of median wall time, with every wall time recorded. */
  private static Run median(int n, Route route) throws Exception {
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < n; i++) runs.add(route.run(i));
    return median(runs);
  }

  /** The run of median wall time, with every wall time recorded. */
  private static Run median(List<Run> done) {
    List<Run> runs = new ArrayList<>(done);
    List<Object> walls = new ArrayList<>();
    for (Run r : runs) walls.add(r.usage.wallSeconds());
    runs.sort(Comparator.comparingDouble(r -> r.usage.wallSeconds()));
    Run mid = runs.get(runs.size() / 2);
    Map<String, Object> info = new LinkedHashMap<>(mid.info);
    info.put("runs_wall_s", walls);
    return new Run(mid.usage, info, mid.profile);
  }

  private Map<String, Object> ceiling(Corpus corpus, int repeat) throws Exception {
    Path out = work.resolve("ceiling.json");
    Files.deleteIfExists(out);
    Path log = work.resolve("ceiling.log");
    ProcessWatch.Usage u = ProcessWatch.run(java(List.of(), Ceiling.class.getName(), List.of(corpus.file.toString(),
        tokenizer.toString(), Integer.toString(cores), Integer.toString(repeat), out.toString())), env(), log);
    check(u, "the ceiling", log);
    Map<String, Object> m = Json.parseObject(Files.readString(out));
    m.put("peak_rss", u.peakRssBytes());
    m.put("peak_pss", u.peakPssBytes());
    m.put("process_wall_s", u.wallSeconds());
    return m;
  }

  /** {@code sftprep run} in its own JVM ({@code profile}: with a JFR recording); figures from its manifest. */
  private Run sftprep(Corpus corpus, String name, List<String> jvmFlags, boolean profile) throws Exception {
    Path out = work.resolve("out-" + name);
    deleteTree(out);
    Path jfr = work.resolve(name + ".jfr");
    Files.deleteIfExists(jfr);
    List<String> flags = new ArrayList<>(jvmFlags);
    flags.addAll(archiveFlags()); // none while makeArchive writes it
    if (profile) flags.addAll(JfrProfile.flags(jfr, work.resolve("bench.jfc")));
    Path log = work.resolve(name + ".log");
    ProcessWatch.Usage u = ProcessWatch.run(java(flags, "io.sftprep.job.cli.Main", List.of("run", "--input",
        corpus.file.toString(), "--output", out.toString(), "--tokenizer", tokenizer.toString())), env(), log);
    check(u, "sftprep run", log);
    Path version = out.resolve(Files.readString(out.resolve("_LATEST")).strip());
    Map<String, Object> manifest = Json.parseObject(Files.readString(version.resolve("_manifest.json")));
    Map<?, ?> totals = (Map<?, ?>) manifest.get("totals");
    Map<?, ?> packing = (Map<?, ?>) manifest.get("packing");
    long bytes = 0;
    for (Object s : (List<?>) manifest.get("shards")) bytes += ((Number) ((Map<?, ?>) s).get("bytes")).longValue();
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("records", totals.get("records"));
    info.put("samples", totals.get("samples"));
    info.put("rejected", totals.get("rejected_by_reason"));
    info.put("written_tokens", totals.get("tokens"));
    info.put("trained", totals.get("trained_tokens"));
    info.put("rows", packing.get("rows"));
    info.put("fill", packing.get("fill"));
    info.put("output_bytes", bytes);
    info.put("timings", manifest.get("timings"));
    Map<String, Double> prof = profile ? JfrProfile.seconds(jfr) : null;
    if (!keep) deleteTree(out);
    return new Run(u, info, prof);
  }

  /** The Python peer with a fresh datasets cache (no cached map results), output bytes from its Parquet file. */
  private Run python(Corpus corpus) throws Exception {
    Path py = cache().resolve("venv").resolve("bin").resolve("python");
    if (!Files.isExecutable(py)) {
      throw new IllegalArgumentException("no Python venv at " + py + "; make it with deploy/bin/sftprep python-env "
          + "or leave python out of --routes");
    }
    Path hf = work.resolve("hf-cache");
    deleteTree(hf);
    Path out = work.resolve("out-python.parquet");
    Files.deleteIfExists(out);
    Path log = work.resolve("python.log");
    Map<String, String> env = env();
    if (ALLOCATOR != null) env.put("LD_PRELOAD", withoutEntry(System.getenv("LD_PRELOAD"), ALLOCATOR));
    env.put("HF_HOME", hf.toString());
    env.put("HF_HUB_OFFLINE", "1");
    ProcessWatch.Usage u = ProcessWatch.run(List.of(py.toString(), repoRoot().resolve("deploy/bench/python_peer.py")
        .toString(), "--input", corpus.file.toString(), "--tokenizer", tokenizer.toString(), "--output",
        out.toString(), "--num-proc", Integer.toString(cores), "--cache-dir", hf.resolve("datasets").toString()),
        env, log);
    check(u, "the python peer", log);
    List<String> lines = Files.readAllLines(log);
    Map<String, Object> info = new LinkedHashMap<>(Json.parseObject(lines.get(lines.size() - 1)));
    info.put("output_bytes", Files.size(out));
    if (!keep) {
      Files.deleteIfExists(out);
      deleteTree(hf);
    }
    return new Run(u, info, null);
  }

  // ---- corpus, processes, printing

  record Corpus(Path file, long conversations, long bytes) {
    Map<String, Object> toMap() {
      return Map.of("file", file.toString(), "conversations", conversations, "bytes", bytes);
    }
  }

  /** The corpus of this seed and size, generated once into the work folder and reused. */
  private Corpus corpus(CorpusGenerator.Size size) throws IOException {
    return corpus(work, seed, size);
  }

  /**
   * The corpus of {@code seed} and {@code size} in {@code work}: reused when its marker ({@code .done}, written after
   * the whole file: its conversation count and byte size) is there and the file still has that size; generated again
   * otherwise (a marker left after the file was removed, an interrupted or truncated file, a marker of an older bench
   * without the size).
   */
  static Corpus corpus(Path work, long seed, CorpusGenerator.Size size) throws IOException {
    String label = size.conversations() > 0 ? size.conversations() + "conv" : size.bytes() + "B";
    Path file = work.resolve("corpus-s" + seed + "-" + label + ".jsonl");
    Path done = work.resolve(file.getFileName() + ".done");
    String[] marker = Files.exists(done) ? Files.readString(done).strip().split("\\s+") : new String[0];
    if (marker.length == 2 && Files.exists(file) && Long.toString(Files.size(file)).equals(marker[1])) {
      return new Corpus(file, Long.parseLong(marker[0]), Files.size(file));
    }
    Files.deleteIfExists(done);
    long t0 = System.nanoTime();
    CorpusGenerator.Written w = CorpusGenerator.write(file, seed, size);
    long bytes = Files.size(file);
    Files.writeString(done, w.conversations() + " " + bytes + "\n");
    System.err.printf("generated %s (%,d conversations, %.1f MB) in %.1f s%n", file, w.conversations(), bytes / 1e6,
        (System.nanoTime() - t0) / 1e9);
    return new Corpus(file, w.conversations(), bytes);
  }

  /**
   * A command that runs {@code mainClass} in a JVM like this one: same java, flags and class path, the class-data
   * archive only if {@code flags} name it.
   */
  private static List<String> java(List<String> flags, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
    boolean heap = flags.stream().anyMatch(f -> f.startsWith("-Xmx"));
    for (String f : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (f.startsWith("-XX:StartFlightRecording") || f.startsWith("-XX:FlightRecorderOptions")) continue;
      if (heap && f.startsWith("-Xmx")) continue;
      // the class-data archive is each caller's choice (archiveFlags)
      if (f.startsWith("-XX:SharedArchiveFile") || f.startsWith("-XX:ArchiveClassesAtExit") || f.startsWith("-Xlog:cds")) {
        continue;
      }
      cmd.add(f);
    }
    cmd.addAll(flags);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /** The allocator library the launcher preloads into the JVMs it starts (and so into the ceiling's), or null. */
  private static final String ALLOCATOR = System.getenv("SFTPREP_ALLOCATOR");

  /** {@code LD_PRELOAD}'s list (entries separated by colons or spaces) without {@code entry}. */
  static String withoutEntry(String preload, String entry) {
    if (preload == null) return "";
    List<String> kept = new ArrayList<>();
    for (String e : preload.split("[: ]+")) if (!e.isEmpty() && !e.equals(entry)) kept.add(e);
    return String.join(":", kept);
  }

  private static Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TOKENIZERS_PARALLELISM", "false");
    env.put("OPT_OUT_TRACKING", "true");
    return env;
  }

  private static void check(ProcessWatch.Usage u, String what, Path log) throws IOException {
    if (u.exitCode() != 0) {
      List<String> lines = Files.readAllLines(log);
      throw new IllegalStateException(what + " exited with " + u.exitCode() + "; last lines of " + log + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
    }
  }

  static Path cache() {
    String c = System.getenv("SFTPREP_CACHE");
    return c != null ? Paths.get(c) : Paths.get(System.getProperty("user.home"), ".cache", "sftprep");
  }

  /** The repository: {@code SFTPREP_ROOT} (the launcher sets it), else the folder holding this jar's module. */
  static Path repoRoot() {
    String r = System.getenv("SFTPREP_ROOT");
    if (r != null) return Paths.get(r);
    try {
      Path p = Paths.get(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (; p != null; p = p.getParent()) if (Files.exists(p.resolve("deploy/bench/python_peer.py"))) return p;
    } catch (java.net.URISyntaxException e) {
      // fall through
    }
    return Paths.get(".").toAbsolutePath();
  }

  private static void printRun(String name, Run r, long tokens) {
    Number written = (Number) r.info.get("written_tokens");
    Number bytes = (Number) r.info.get("output_bytes");
    System.out.printf("%-46s %9.1f %12s %12s %10s %10s %9.2f%n", name, r.usage.wallSeconds(),
        rate(tokens / r.usage.wallSeconds()), rate(tokens / r.usage.cpuSeconds()), mb(r.usage.peakRssBytes()),
        mb(r.usage.peakPssBytes()), bytes.doubleValue() / written.doubleValue());
  }

  private static void printProfile(Map<String, Double> seconds, ProcessWatch.Usage usage) {
    double total = 0;
    for (double s : seconds.values()) total += s;
    for (Map.Entry<String, Double> e : seconds.entrySet()) {
      System.out.printf("  %-58s %8.1f s %6.1f%%%n", e.getKey(), e.getValue(), 100 * e.getValue() / total);
    }
    System.out.printf("  %-58s %8.1f s%n", "total seen", total);
    StringBuilder b = new StringBuilder();
    usage.cpuByThreads().forEach((g, s) -> b.append(String.format(", %s %.1f s", g, s)));
    System.out.printf("process CPU %.1f s (by thread: %s); JFR does not sample JIT and GC threads, nor threads in "
        + "the VM (class loading)%n", usage.cpuSeconds(), b.length() > 2 ? b.substring(2) : "n/a");
  }

  static long parseBytes(String s) {
    String t = s.strip().toUpperCase(Locale.ROOT).replace("B", "");
    long unit = 1;
    if (t.endsWith("K")) unit = 1_000L;
    else if (t.endsWith("M")) unit = 1_000_000L;
    else if (t.endsWith("G")) unit = 1_000_000_000L;
    if (unit > 1) t = t.substring(0, t.length() - 1);
    try {
      return (long) (Double.parseDouble(t) * unit);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--size " + s + ": expected a size such as 200MB, 1.5GB or 500KB");
    }
  }

  /** The wall time of a ceiling's median run of a call. */
  @SuppressWarnings("unchecked")
  private static double callWall(Map<String, Object> ceiling, String call) {
    return ((Number) ((Map<String, Object>) ceiling.get(call)).get("wall_s")).doubleValue();
  }

  /** A ceiling run's wall time (the call sftprep makes) and the sftprep run timed right after it. */
  private record Pair(double ceilingWall, double sftprepWall) {
    double ratio() {
      return ceilingWall / sftprepWall;
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ceiling_wall_s", ceilingWall);
      m.put("sftprep_wall_s", sftprepWall);
      m.put("ratio", ratio());
      return m;
    }
  }

  private static double medianOf(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  private static String rate(double perSecond) {
    if (perSecond < 0 || Double.isNaN(perSecond)) return "n/a";
    return perSecond >= 1e6 ? String.format("%.2fM", perSecond / 1e6) : String.format("%.0fk", perSecond / 1e3);
  }

  private static String mb(Object bytes) {
    return bytes == null ? "" : String.format("%.0f MB", ((Number) bytes).doubleValue() / (1 << 20));
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
    }
  }
}
