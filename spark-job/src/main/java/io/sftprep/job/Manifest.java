package io.sftprep.job;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.json.JsonWriter;
import io.sftprep.core.stats.FileStats;
import io.sftprep.core.stats.Histogram;
import io.sftprep.core.stats.RunStats;
import io.sftprep.job.input.InputFile;
import io.sftprep.job.write.RowWriteSupport;
import io.sftprep.job.write.ShardWriter.ShardInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code _manifest.json}: what was read (every input with size, time, checksum and counts), how (resolved config
 * and the hashes of config, tokenizer and template), what was written (every shard with rows, tokens, bytes and
 * SHA-256), the distributions, timings and, for a refresh, what changed against the previous version.
 */
public final class Manifest {
  private final Map<String, Object> m = new LinkedHashMap<>();
  private final RunStats stats;
  private final List<ShardInfo> shards;
  private final Map<String, Object> previous;
  private final Map<String, Object> totals;

  @SuppressWarnings("checkstyle:ParameterNumber")
  Manifest(String sftprepVersion, String version, String runId, String fingerprint, TreeMap<String, String> config,
      String configSha, String tokenizerUri, String tokenizerSha, String templateSource, String templateSha,
      List<String> eot, int padId, List<InputFile> files, Map<String, String> checksums, RunStats stats,
      List<ShardInfo> shards, SftConfig cfg, String rejectsFile, long rejects, Map<String, Double> timings,
      Map<String, Object> previous) {
    this.stats = stats;
    this.shards = shards;
    this.previous = previous;
    m.put("schema_version", RowWriteSupport.SCHEMA_VERSION);
    m.put("sftprep_version", sftprepVersion);
    m.put("version", version);
    m.put("run_id", runId);
    m.put("created_at", Instant.now().toString());
    m.put("fingerprint", fingerprint);
    m.put("config", config);
    m.put("config_sha256", configSha);
    Map<String, Object> tok = new LinkedHashMap<>();
    tok.put("uri", tokenizerUri);
    tok.put("tokenizer_json_sha256", tokenizerSha);
    tok.put("chat_template_source", templateSource);
    tok.put("chat_template_sha256", templateSha);
    tok.put("end_of_turn", eot);
    tok.put("pad_token_id", padId);
    m.put("tokenizer", tok);
    List<Object> inputs = new ArrayList<>();
    for (InputFile f : files) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", f.name());
      e.put("uri", f.uri());
      e.put("size", f.size());
      e.put("modification_time", Instant.ofEpochMilli(f.modificationTime()).toString());
      e.put("sha256", checksums.get(f.name()));
      e.putAll(stats.byFile().get(f.name()).toMap());
      inputs.add(e);
    }
    m.put("inputs", inputs);
    this.totals = stats.totals().toMap();
    m.put("totals", totals);
    long rows = 0;
    long tokens = 0;
    long padded = 0;
    long trained = 0;
    Histogram fill = Histogram.fractions(50);
    List<Object> shardList = new ArrayList<>();
    for (ShardInfo s : shards) {
      rows += s.rows();
      tokens += s.tokens();
      padded += s.paddedTokens();
      trained += s.trainedTokens();
      fill.merge(s.fill());
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("file", "data/" + s.file());
      e.put("rows", s.rows());
      e.put("tokens", s.tokens());
      e.put("trained_tokens", s.trainedTokens());
      e.put("bytes", s.bytes());
      e.put("sha256", s.sha256());
      shardList.add(e);
    }
    Map<String, Object> packing = new LinkedHashMap<>();
    packing.put("strategy", cfg.pack().strategy().name().toLowerCase(java.util.Locale.ROOT));
    packing.put("seq_length", cfg.pack().seqLength());
    packing.put("num_shards", shards.size());
    packing.put("rows", rows);
    packing.put("tokens", tokens);
    packing.put("trained_tokens", trained);
    packing.put("padded_tokens", padded);
    packing.put("fill", rows == 0 ? 0.0 : round((double) tokens / ((double) rows * cfg.pack().seqLength())));
    m.put("packing", packing);
    m.put("shards", shardList);
    Map<String, Object> rej = new LinkedHashMap<>();
    rej.put("file", rejectsFile);
    rej.put("count", rejects);
    m.put("rejects", rej);
    Map<String, Object> hist = new LinkedHashMap<>();
    hist.put("sample_length_before_overflow", histogram(stats.lengthBefore));
    hist.put("sample_length", histogram(stats.lengthAfter));
    hist.put("trained_fraction", histogram(stats.trainedFraction));
    hist.put("row_fill", histogram(fill));
    m.put("histograms", hist);
    m.put("timings", timings);
    if (previous != null) m.put("changes", changes(previous));
  }

  private static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  static Map<String, Object> histogram(Histogram h) {
    Map<String, Object> o = new LinkedHashMap<>();
    List<Object> edges = new ArrayList<>();
    for (double e : h.edges()) edges.add(e);
    List<Object> counts = new ArrayList<>();
    for (long c : h.counts()) counts.add(c);
    o.put("edges", edges);
    o.put("counts", counts);
    o.put("total", h.total());
    o.put("mean", round(h.mean()));
    o.put("max", h.max());
    return o;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> changes(Map<String, Object> prev) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("previous_version", prev.get("version"));
    Map<String, Object> pt = prev.get("totals") instanceof Map ? (Map<String, Object>) prev.get("totals") : Map.of();
    for (String k : List.of("records", "written", "rejected", "samples", "tokens", "trained_tokens")) {
      long now = ((Number) totals.get(k)).longValue();
      long before = pt.get(k) instanceof Number ? ((Number) pt.get(k)).longValue() : 0;
      c.put(k, now - before);
    }
    Map<String, Long> byReason = new TreeMap<>();
    Map<String, Object> prevReasons = pt.get("rejected_by_reason") instanceof Map
        ? (Map<String, Object>) pt.get("rejected_by_reason") : Map.of();
    Map<String, Object> nowReasons = (Map<String, Object>) totals.get("rejected_by_reason");
    for (String k : nowReasons.keySet()) byReason.put(k, ((Number) nowReasons.get(k)).longValue());
    for (String k : prevReasons.keySet()) {
      byReason.merge(k, -((Number) prevReasons.get(k)).longValue(), Long::sum);
    }
    byReason.values().removeIf(v -> v == 0);
    c.put("rejected_by_reason", byReason);
    return c;
  }

  public Map<String, Object> asMap() {
    return m;
  }

  public RunStats stats() {
    return stats;
  }

  public List<ShardInfo> shards() {
    return shards;
  }

  public String toJson() {
    return JsonWriter.python("  ", null, null, false, false, v -> v.getClass().getSimpleName()).write(m) + "\n";
  }

  @SuppressWarnings("unchecked")
  public String summary() {
    FileStats t = stats.totals();
    Map<String, Object> p = (Map<String, Object>) m.get("packing");
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("version %s: records in %,d, written %,d, rejected %,d%s%n", m.get("version"),
        t.records, t.written, t.rejected, t.rejected == 0 ? "" : " (" + stats.topReasons(5) + ")"));
    sb.append(String.format("samples %,d, tokens %,d, trained tokens %,d (%.1f%%)%n", t.samples, t.tokens,
        t.trainedTokens, t.tokens == 0 ? 0.0 : 100.0 * t.trainedTokens / t.tokens));
    sb.append(String.format("rows %,d of %s tokens (%s), fill %.2f%%, %d shard(s)%n", ((Number) p.get("rows")).longValue(),
        p.get("seq_length"), p.get("strategy"), 100 * ((Number) p.get("fill")).doubleValue(), shards.size()));
    if (m.containsKey("changes")) {
      Map<String, Object> c = (Map<String, Object>) m.get("changes");
      sb.append(String.format("since %s: records %+d, written %+d, rejected %+d, tokens %+d%s%n",
          c.get("previous_version"), c.get("records"), c.get("written"), c.get("rejected"), c.get("tokens"),
          ((Map<String, Object>) c.get("rejected_by_reason")).isEmpty() ? ""
              : ", rejects by reason " + c.get("rejected_by_reason")));
    }
    sb.append(String.format("wall time %.1f s", ((Map<String, Double>) m.get("timings")).getOrDefault("total_s", 0.0)));
    return sb.toString();
  }
}
