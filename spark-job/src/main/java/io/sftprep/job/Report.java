package io.sftprep.job;

import io.sftprep.core.json.JsonWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code _report.html}: one self-contained page (no network, no external script) that draws the run's
 * distributions on canvases from the manifest's numbers: sample length before and after overflow handling,
 * trained-token fraction, packing fill per row, rejects by reason, and a per-source-file table. Each chart marks
 * itself {@code data-drawn="true"} once drawn, which the browser test checks.
 */
public final class Report {
  private Report() {}

  @SuppressWarnings("unchecked")
  public static String html(Manifest manifest) {
    Map<String, Object> m = manifest.asMap();
    Map<String, Object> hist = (Map<String, Object>) m.get("histograms");
    Map<String, Object> totals = (Map<String, Object>) m.get("totals");
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("length_before", hist.get("sample_length_before_overflow"));
    data.put("length_after", hist.get("sample_length"));
    data.put("trained_fraction", hist.get("trained_fraction"));
    data.put("row_fill", hist.get("row_fill"));
    Map<String, Object> reasons = (Map<String, Object>) totals.get("rejected_by_reason");
    data.put("rejects", reasons);
    StringBuilder rows = new StringBuilder();
    for (Object o : (List<Object>) m.get("inputs")) {
      Map<String, Object> f = (Map<String, Object>) o;
      rows.append("<tr><td>").append(esc(String.valueOf(f.get("name")))).append("</td>");
      for (String k : List.of("lines", "records", "written", "rejected", "samples", "tokens", "trained_tokens")) {
        rows.append("<td class=n>").append(String.format("%,d", ((Number) f.get(k)).longValue())).append("</td>");
      }
      rows.append("<td>").append(esc(String.valueOf(f.get("formats")))).append("</td>");
      rows.append("<td>").append(esc(String.valueOf(f.get("rejected_by_reason")))).append("</td></tr>\n");
    }
    Map<String, Object> packing = (Map<String, Object>) m.get("packing");
    List<String> facts = new ArrayList<>();
    facts.add("version <b>" + esc(String.valueOf(m.get("version"))) + "</b>");
    facts.add(String.format("records %,d &middot; written %,d &middot; rejected %,d",
        ((Number) totals.get("records")).longValue(), ((Number) totals.get("written")).longValue(),
        ((Number) totals.get("rejected")).longValue()));
    facts.add(String.format("tokens %,d &middot; trained %,d", ((Number) totals.get("tokens")).longValue(),
        ((Number) totals.get("trained_tokens")).longValue()));
    facts.add(String.format("rows %,d &middot; seq-length %s &middot; fill %.2f%%",
        ((Number) packing.get("rows")).longValue(), packing.get("seq_length"),
        100 * ((Number) packing.get("fill")).doubleValue()));
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>sftprep report "
        + esc(String.valueOf(m.get("version"))) + "</title>\n<style>\n"
        + "body{font:14px system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}"
        + ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:18px}"
        + "figure{margin:0;border:1px solid #ddd;padding:10px;border-radius:6px}figcaption{font-weight:600;margin-bottom:6px}"
        + "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 6px}td.n{text-align:right}"
        + "</style></head><body>\n<h1>sftprep run report</h1>\n<p>" + String.join("<br>", facts) + "</p>\n"
        + "<div class=grid>\n"
        + chart("length_before", "Sample length before overflow handling (tokens)")
        + chart("length_after", "Sample length as written (tokens)")
        + chart("trained_fraction", "Trained-token fraction per sample")
        + chart("row_fill", "Packing fill per row")
        + chart("rejects", "Rejects by reason")
        + "</div>\n<h2>Per source file</h2>\n<table><tr><th>file</th><th>lines</th><th>records</th><th>written</th>"
        + "<th>rejected</th><th>samples</th><th>tokens</th><th>trained</th><th>formats</th><th>rejects by reason</th></tr>\n"
        + rows + "</table>\n"
        + "<script>\nconst DATA = " + JsonWriter.compact(data).replace("</", "<\\/") + ";\n" + SCRIPT
        + "</script>\n</body></html>\n";
  }

  private static String chart(String id, String title) {
    return "<figure><figcaption>" + title + "</figcaption><canvas id=\"" + id
        + "\" width=\"440\" height=\"220\" data-drawn=\"false\"></canvas></figure>\n";
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static final String SCRIPT = String.join("\n",
      "function label(e, i, edges, frac) {",
      "  if (frac) return (edges[i] * 100).toFixed(0) + '%';",
      "  return i + 1 < edges.length ? String(edges[i]) : '>=' + edges[i];",
      "}",
      "function bars(id, labels, values) {",
      "  const c = document.getElementById(id); const g = c.getContext('2d');",
      "  const W = c.width, H = c.height, pad = 28; g.clearRect(0, 0, W, H);",
      "  const max = Math.max(1, ...values); const n = Math.max(1, values.length);",
      "  const bw = (W - pad - 4) / n; g.font = '10px sans-serif'; g.fillStyle = '#333';",
      "  g.fillText(String(max), 2, 10);",
      "  for (let i = 0; i < values.length; i++) {",
      "    const h = (H - pad - 12) * values[i] / max;",
      "    g.fillStyle = '#3b82f6'; g.fillRect(pad + i * bw, H - pad - h, Math.max(1, bw - 1), h);",
      "    if (values.length <= 12 || i % Math.ceil(values.length / 8) === 0) {",
      "      g.save(); g.fillStyle = '#555'; g.translate(pad + i * bw + 2, H - 2); g.rotate(-0.6);",
      "      g.fillText(labels[i].slice(0, 18), 0, 0); g.restore();",
      "    }",
      "  }",
      "  g.strokeStyle = '#999'; g.beginPath(); g.moveTo(pad, 12); g.lineTo(pad, H - pad); g.lineTo(W, H - pad); g.stroke();",
      "  c.dataset.drawn = 'true';",
      "}",
      "function trimmed(h, frac) {",
      "  let last = h.counts.length - 1; while (last > 0 && h.counts[last] === 0) last--;",
      "  let first = 0; if (!frac) { while (first < last && h.counts[first] === 0) first++; }",
      "  const labels = [], values = [];",
      "  for (let i = first; i <= last; i++) { labels.push(label(0, i, h.edges, frac)); values.push(h.counts[i]); }",
      "  return [labels, values];",
      "}",
      "for (const [id, frac] of [['length_before', false], ['length_after', false], ['trained_fraction', true],",
      "                          ['row_fill', true]]) {",
      "  const [l, v] = trimmed(DATA[id], frac); bars(id, l, v);",
      "}",
      "function hbars(id, entries) {", // one labelled horizontal bar per reason, most frequent first
      "  const c = document.getElementById(id); const rowH = 18, labelW = 190;",
      "  c.height = Math.max(40, 12 + rowH * Math.max(1, entries.length)); const g = c.getContext('2d');",
      "  const W = c.width; const max = Math.max(1, ...entries.map(e => e[1])); g.font = '12px sans-serif';",
      "  if (!entries.length) { g.fillStyle = '#555'; g.fillText('no rejects', 4, 24); }",
      "  entries.forEach(([name, n], i) => {",
      "    const y = 6 + i * rowH, w = (W - labelW - 60) * n / max;",
      "    g.fillStyle = '#333'; g.fillText(name.slice(0, 28), 4, y + 12);",
      "    g.fillStyle = '#ef4444'; g.fillRect(labelW, y + 2, Math.max(1, w), rowH - 5);",
      "    g.fillStyle = '#333'; g.fillText(n.toLocaleString(), labelW + w + 4, y + 12);",
      "  });",
      "  c.dataset.drawn = 'true';",
      "}",
      "hbars('rejects', Object.entries(DATA.rejects).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));",
      "");
}
