package io.sftprep.job;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.json.Json;
import io.sftprep.core.json.JsonWriter;
import io.sftprep.core.pack.PackSample;
import io.sftprep.core.pack.RowPacker;
import io.sftprep.core.pipeline.Preprocessor;
import io.sftprep.core.stats.FileStats;
import io.sftprep.core.stats.RunStats;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
import io.sftprep.job.Items.Item;
import io.sftprep.job.Items.SampleRow;
import io.sftprep.job.input.InputFile;
import io.sftprep.job.input.InputPlanner;
import io.sftprep.job.input.InputSplit;
import io.sftprep.job.input.SplitReader;
import io.sftprep.job.write.Publisher;
import io.sftprep.job.write.ShardWriter;
import io.sftprep.job.write.ShardWriter.ShardInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The batch job: JSONL in, packed Parquet shards, rejects, manifest and report out, published atomically.
 * Spark only moves data; every decision about tokens, masks and packs is core's.
 *
 * <ol>
 *   <li>Plan: list inputs, cut big uncompressed files into byte splits, count lines and hash bytes per split (a
 *       Spark job, or the driver when the input is one split or less); cut splits into pieces sized for the cores,
 *       the input's last pieces smaller ({@link InputPlanner#group}).
 *   <li>Skip when inputs, config, tokenizer and template equal the latest version's (unless forced).
 *   <li>Preprocess every piece in {@code mapPartitions} (a tokenizer lent to each task: {@link Executors}).
 *   <li>Place samples in {@code output.num-shards} buckets by id, sort each by id, pack, write one file each.
 *   <li>Write rejects (each piece's part, concatenated), manifest and report to staging; publish; move
 *       {@code _LATEST}.
 * </ol>
 */
public final class SftJob {
  public static final String VERSION = "0.1.0";
  public static final String REJECTS_FILE = "rejects/rejects.jsonl";
  static final String REJECT_PARTS = "rejects/.parts";
  static final String STATS_PARTS = ".stats";

  private SftJob() {}

  public static RunResult run(SparkSession spark, RunOptions opts) throws IOException {
    long t0 = System.nanoTime();
    Map<String, Double> timings = new LinkedHashMap<>();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = jsc.hadoopConfiguration();
    SftConfig config = SftConfig.fromMap(opts.settings());

    // ---- plan
    List<InputFile> files = InputPlanner.listFiles(opts.input(), conf);
    java.nio.file.Path tokDir = Executors.localTokenizer(opts.tokenizer(), conf);
    ModelFiles model = ModelFiles.load(tokDir);
    String templateText;
    String templateSource;
    if (config.chatTemplateFile() != null) {
      templateText = readText(config.chatTemplateFile(), conf);
      templateSource = config.chatTemplateFile();
    } else {
      templateText = model.chatTemplate();
      templateSource = model.chatTemplate() == null ? "none" : "tokenizer";
    }
    if (templateText == null) {
      System.err.println("sftprep: warning: the tokenizer at " + opts.tokenizer() + " has no chat template; chat "
          + "records will be rejected. Give one with --chat-template FILE (config " + SftConfig.CHAT_TEMPLATE + ").");
    }
    LocalDateTime now = config.templateNow() != null ? config.templateNow()
        : LocalDate.now(ZoneOffset.UTC).atStartOfDay();
    List<InputSplit> splits = InputPlanner.split(files, config.inputSplitBytes());
    Map<String, String> hadoop = new TreeMap<>();
    for (Map.Entry<String, String> e : conf) hadoop.put(e.getKey(), e.getValue());
    long pieceBytes = InputPlanner.pieceBytes(files, jsc.defaultParallelism(), config.inputSplitBytes());
    long cellBytes = InputPlanner.cellBytes(pieceBytes);
    // the scan (newlines and SHA-256 per split) runs while the driver opens the tokenizer and compiles the template
    Future<List<byte[]>> scan = scan(jsc, splits, cellBytes, hadoop, config.inputSplitBytes());
    int padId;
    List<String> eot;
    List<SplitReader.Digest> digests = new ArrayList<>();
    try {
      String stamp = HfTokenizer.stamp(tokDir); // before the open: the file it was opened from, or an older one
      HfTokenizer tok = HfTokenizer.open(tokDir);
      try {
        padId = padTokenId(config, model, tok);
        eot = new Preprocessor(config, model, tok, templateText, now).endOfTurn();
      } finally {
        // tasks in this JVM (local mode) take it over: one tokenizer fewer to open
        if (jsc.isLocal()) {
          HfTokenizer.spare(tokDir, tok, stamp);
        } else {
          tok.close();
        }
      }
      for (byte[] d : await(scan)) digests.add(Ser.value(d));
    } finally {
      if (!scan.isDone()) scan.cancel(true);
    }
    splits = numberLines(splits, digests);
    Map<String, String> checksums = fileChecksums(files, splits, digests);
    List<InputSplit> cells = new ArrayList<>();
    for (int i = 0; i < splits.size(); i++) {
      cells.addAll(InputPlanner.pieces(splits.get(i), digests.get(i), cellBytes));
    }
    List<InputSplit> pieces = InputPlanner.group(cells, pieceBytes,
        InputPlanner.tailCells(pieceBytes, jsc.defaultParallelism()));
    timings.put("plan_s", secs(t0));

    // ---- fingerprint, skip if unchanged
    String templateSha = templateText == null ? "" : ModelFiles.sha256(templateText);
    TreeMap<String, String> resolved = new TreeMap<>(config.resolved());
    resolved.put(SftConfig.TEMPLATE_NOW, now.toString());
    String configSha = ModelFiles.sha256(JsonWriter.compact(resolved));
    String fingerprint = fingerprint(files, checksums, configSha, model.tokenizerSha256(), templateSha,
        templateText != null && templateText.contains("strftime_now") ? now.toString() : "");
    Publisher pub = new Publisher(opts.output(), conf);
    int cleaned = pub.cleanStaging();
    if (cleaned > 0) System.err.println("sftprep: removed " + cleaned + " staging folder(s) left by unfinished runs");
    String latest = pub.latest();
    Map<String, Object> previous = latest == null ? null : readManifest(pub, latest);
    if (!opts.force() && previous != null && fingerprint.equals(previous.get("fingerprint"))) {
      return new RunResult(latest, pub.versionDir(latest).toString(), true, null, 0,
          "unchanged: inputs, config, tokenizer and template equal those of " + latest + " (use --force to rewrite)");
    }

    // ---- preprocess
    String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
        + "-" + fingerprint.substring(0, 8);
    String version = "v" + runId;
    Path staging = pub.newStaging(runId);
    JobSpec spec = new JobSpec(resolved, templateText, opts.tokenizer(), model.tokenizerSha256(), now.toString(),
        hadoop);
    long t1 = System.nanoTime();
    List<String> names = new ArrayList<>();
    for (InputFile f : files) names.add(f.name());
    PieceOutputs outputs = new PieceOutputs(new Path(staging, REJECT_PARTS), new Path(staging, STATS_PARTS), names);
    // one piece per partition, in (file, offset) order; what is persisted is samples only: each piece's rejects
    // and stats go to its own files. The samples wait on the executors' local disks, not in their heaps: kept in
    // the heap they took as much of its storage share as the corpus filled, so the heap grew with the corpus
    JavaRDD<Item> samples = jsc.parallelize(encode(pieces), Math.max(1, pieces.size()))
        .mapPartitionsWithIndex((index, it) -> {
          List<Iterator<Item>> parts = new ArrayList<>();
          while (it.hasNext()) parts.add(SplitProcessor.process(spec, Ser.<InputSplit>value(it.next())));
          return outputs.divert(concat(parts), index, Executors.hadoopConf(hadoop));
        }, false)
        .persist(StorageLevel.DISK_ONLY());

    // ---- stats: computing and persisting the samples writes them; the samples are not read back for them
    samples.foreachPartition(it -> { });
    RunStats stats = outputs.stats(pieces.size(), conf);

    // ---- shards (their number may depend on the token total: output.num-shards=auto)
    int numShards = config.shardsFor(stats.totals().tokens);
    String dataDir = new Path(staging, "data").toString();
    long rowGroupBytes = config.rowGroupBytes();
    io.sftprep.core.config.PackOptions pack = config.pack();
    List<byte[]> shardBytes = samples
        .mapToPair(i -> new Tuple2<>(((SampleRow) i).sampleId, (SampleRow) i))
        .repartitionAndSortWithinPartitions(new ShardPartitioner(numShards))
        .mapPartitionsWithIndex((shard, it) -> {
          Configuration c = Executors.hadoopConf(hadoop);
          try (ShardWriter w = new ShardWriter(new Path(dataDir), shard, c, rowGroupBytes, pack.seqLength())) {
            RowPacker packer = new RowPacker(pack, padId, row -> {
              try {
                w.write(row);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
            while (it.hasNext()) {
              SampleRow s = it.next()._2();
              packer.add(new PackSample(s.sampleId, s.inputIds, s.trained, names.get(s.fileIndex), s.line));
            }
            packer.flush();
            return List.of(Ser.bytes(w.finish())).iterator();
          }
        }, true)
        .collect();
    List<ShardInfo> sortedShards = new ArrayList<>();
    for (byte[] b : shardBytes) sortedShards.add(Ser.value(b));
    sortedShards.sort((a, b) -> Integer.compare(a.shard(), b.shard()));

    // ---- rejects: written by the preprocessing tasks, one part per piece
    long rejectsWritten = outputs.concatenateRejects(pieces.size(), new Path(staging, REJECTS_FILE), conf);
    outputs.removeParts(conf);

    samples.unpersist(false);
    timings.put("process_s", secs(t1));
    for (InputFile f : files) stats.file(f.name());
    stats.check();
    FileStats totals = stats.totals();
    if (rejectsWritten != totals.rejected) {
      throw new IllegalStateException("wrote " + rejectsWritten + " rejects but counted " + totals.rejected);
    }

    // ---- manifest, report, publish
    double rejectFraction = totals.records == 0 ? 0 : (double) totals.rejected / totals.records;
    boolean tooManyRejects = rejectFraction > config.maxRejectFraction();
    Manifest manifest = new Manifest(VERSION, version, runId, fingerprint, resolved, configSha,
        opts.tokenizer(), model.tokenizerSha256(), templateSource, templateSha, eot, padId, files, checksums, stats,
        sortedShards, config, REJECTS_FILE, rejectsWritten, timings, previous);
    timings.put("total_s", secs(t0));
    FileSystem fs = staging.getFileSystem(conf);
    writeText(fs, new Path(staging, "_manifest.json"), manifest.toJson());
    writeText(fs, new Path(staging, "_report.html"), Report.html(manifest));
    pauseBeforePublish(staging);
    Path dest = pub.publish(staging, version, !tooManyRejects);
    List<String> pruned = pub.prune(opts.keep());
    StringBuilder msg = new StringBuilder();
    msg.append(manifest.summary());
    if (!pruned.isEmpty()) msg.append("\npruned old versions: ").append(String.join(", ", pruned));
    int exit = 0;
    if (tooManyRejects) {
      exit = 3;
      msg.append(String.format("%nFAILED: %.2f%% of records were rejected, above max-reject-fraction %.2f%%; "
          + "top reasons: %s. The version was written to %s but %s was not moved.",
          100 * rejectFraction, 100 * config.maxRejectFraction(), stats.topReasons(3), dest, Publisher.LATEST));
    }
    return new RunResult(version, dest.toString(), false, totals, exit, msg.toString());
  }

  /**
   * Test hook: with {@code -Dsftprep.test.pause-before-publish=FILE} the run writes its staging path to FILE and
   * waits there, so a test can kill it between staging and publish.
   */
  private static void pauseBeforePublish(Path staging) throws IOException {
    String marker = System.getProperty("sftprep.test.pause-before-publish");
    if (marker == null) return;
    java.nio.file.Files.writeString(java.nio.file.Paths.get(marker), staging.toString());
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Places a sample in the shard given by its id. */
  static final class ShardPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int shards;

    ShardPartitioner(int shards) {
      this.shards = shards;
    }

    @Override
    public int numPartitions() {
      return shards;
    }

    @Override
    public int getPartition(Object key) {
      return SampleIds.shard((Long) key, shards);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ShardPartitioner && ((ShardPartitioner) o).shards == shards;
    }

    @Override
    public int hashCode() {
      return shards;
    }
  }

  static int padTokenId(SftConfig config, ModelFiles model, HfTokenizer tok) {
    if (config.pack().padTokenId() != null) return config.pack().padTokenId();
    Integer id = tok.tokenId(model.specialTokens().get("pad_token"));
    if (id == null) id = tok.tokenId(model.specialTokens().get("eos_token"));
    return id == null ? 0 : id;
  }

  /**
   * Starts the scan of {@code splits}: as a Spark job, or on a thread of the driver when the whole input is at most
   * one split ({@code oneSplit} bytes), which Spark would scan in one task anyway and where a job's own cost (about
   * half a second for the first one of a run) would be most of the time.
   */
  static Future<List<byte[]>> scan(JavaSparkContext jsc, List<InputSplit> splits, long cellBytes,
      Map<String, String> hadoop, long oneSplit) {
    long total = 0;
    for (InputSplit s : splits) total += s.end() - s.start();
    if (total > oneSplit) {
      return jsc.parallelize(encode(splits), Math.max(1, splits.size()))
          .map(b -> Ser.bytes(SplitReader.scan(Ser.<InputSplit>value(b), cellBytes, Executors.hadoopConf(hadoop))))
          .collectAsync();
    }
    FutureTask<List<byte[]>> here = new FutureTask<>(() -> {
      Configuration conf = Executors.hadoopConf(hadoop);
      List<byte[]> out = new ArrayList<>();
      for (InputSplit s : splits) out.add(Ser.bytes(SplitReader.scan(s, cellBytes, conf)));
      return out;
    });
    Thread t = new Thread(here, "sftprep-scan");
    t.setDaemon(true);
    t.start();
    return here;
  }

  /** The result of a scan; its failure rethrown as the scan threw it. */
  private static <T> T await(Future<T> action) throws IOException {
    try {
      return action.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while scanning the input", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) throw (RuntimeException) c;
      if (c instanceof Error) throw (Error) c;
      if (c instanceof IOException) throw (IOException) c;
      throw new IOException("cannot scan the input: " + c, c);
    }
  }

  private static double secs(long since) {
    return Math.round((System.nanoTime() - since) / 1e6) / 1e3;
  }

  private static <T> Iterator<T> concat(List<Iterator<T>> parts) {
    return new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        while (i < parts.size()) {
          if (parts.get(i).hasNext()) return true;
          i++;
        }
        return false;
      }

      @Override
      public T next() {
        if (!hasNext()) throw new java.util.NoSuchElementException();
        return parts.get(i).next();
      }
    };
  }

  private static List<byte[]> encode(List<InputSplit> splits) {
    List<byte[]> out = new ArrayList<>(splits.size());
    for (InputSplit s : splits) out.add(Ser.bytes(s));
    return out;
  }

  /** Gives each split the number of its first line from the newline counts of the splits before it. */
  static List<InputSplit> numberLines(List<InputSplit> splits, List<SplitReader.Digest> digests) {
    List<InputSplit> out = new ArrayList<>(splits.size());
    long before = 0;
    int file = -1;
    for (int i = 0; i < splits.size(); i++) {
      InputSplit s = splits.get(i);
      if (s.fileIndex() != file) {
        file = s.fileIndex();
        before = 0;
      }
      out.add(s.withFirstLine(before + 1));
      before += digests.get(i).newlines();
    }
    return out;
  }

  /** Per file: SHA-256 of the file when it is one split, else SHA-256 over its splits' SHA-256s in order. */
  static Map<String, String> fileChecksums(List<InputFile> files, List<InputSplit> splits,
      List<SplitReader.Digest> digests) {
    Map<Integer, List<byte[]>> byFile = new TreeMap<>();
    for (int i = 0; i < splits.size(); i++) {
      byFile.computeIfAbsent(splits.get(i).fileIndex(), k -> new ArrayList<>()).add(digests.get(i).sha256());
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<Integer, List<byte[]>> e : byFile.entrySet()) {
      List<byte[]> parts = e.getValue();
      String hex;
      if (parts.size() == 1) {
        hex = HexFormat.of().formatHex(parts.get(0));
      } else {
        try {
          java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
          for (byte[] p : parts) md.update(p);
          hex = "tree:" + HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException ex) {
          throw new IllegalStateException(ex);
        }
      }
      out.put(files.get(e.getKey()).name(), hex);
    }
    return out;
  }

  static String fingerprint(List<InputFile> files, Map<String, String> checksums, String configSha,
      String tokenizerSha, String templateSha, String now) {
    List<Object> inputs = new ArrayList<>();
    for (InputFile f : files) inputs.add(List.of(f.name(), f.size(), checksums.get(f.name())));
    Map<String, Object> m = new TreeMap<>();
    m.put("sftprep", VERSION);
    m.put("inputs", inputs);
    m.put("config", configSha);
    m.put("tokenizer", tokenizerSha);
    m.put("template", templateSha);
    m.put("template_now", now);
    return ModelFiles.sha256(JsonWriter.compact(m));
  }

  static String readText(String uri, Configuration conf) throws IOException {
    Path p = new Path(uri);
    try (InputStream in = p.getFileSystem(conf).open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static void writeText(FileSystem fs, Path p, String text) throws IOException {
    try (OutputStream out = fs.create(p, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readManifest(Publisher pub, String version) {
    try (InputStream in = pub.fs().open(new Path(pub.versionDir(version), "_manifest.json"))) {
      return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (Exception e) {
      return null;
    }
  }
}
