package io.sftprep.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.json.Json;
import io.sftprep.core.testing.Fixtures;
import io.sftprep.core.testing.PythonReference;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Record-for-record parity with Python transformers on every shared dataset, each in its own layout: for the four
 * npm tokenizers with their own templates and with TRL's training templates ({@code {% generation %}}), and for
 * the other masking policies on Qwen3. {@code input_ids} must equal {@code apply_chat_template(messages,
 * tokenize=True)} (or TRL's plain-text tokenization), labels must equal transformers'
 * {@code return_assistant_tokens_mask} where generation blocks decide the mask and the reference's independent
 * Python implementation of the README's span rule otherwise, and both sides must reject the same records for the
 * same reason. One Python process computes every reference (transformers' import dominates a run) while the Java
 * side runs; references are kept in {@code ~/.cache/sftprep/parity-ref} under a hash of the script, the job, every
 * file it reads and the venv's package list ({@code SFTPREP_PARITY_CACHE=off} recomputes them). The agreement table
 * is printed and written to {@code core/target/parity/agreement.md}.
 */
class TransformersParityTest {
  static final LocalDateTime NOW = LocalDateTime.of(2026, 1, 1, 0, 0);
  static final List<String> ARRAY_COPIES = List.of("lf_identity/identity.json", "torchtune_chat_tiny/chat_tiny.json");
  /** Datasets with more than one assistant turn, or trees, tools, prompt/completion: where policies differ. */
  static final List<String> POLICY_DATASETS = List.of("lf_kto_en_demo/kto_en_demo.jsonl",
      "lf_glaive_toolcall_en_demo/glaive_toolcall_en_demo.jsonl", "fastchat_dummy_conversation/dummy_conversation.jsonl",
      "functionary_small_tests/small_tests.jsonl", "oasst_en_100_tree/en_100_tree.jsonl",
      "axolotl_conversation/conversation.json", "torchtune_chat_tiny/chat_tiny.jsonl",
      "lf_v1_sft_demo/v1_sft_demo.jsonl", "selfinstruct_t0/ag_news_classify.jsonl",
      "llmfoundry_dolly_hhrlhf_train_small/dolly_hhrlhf_train_small.jsonl");

  /** Datasets with tool calls. */
  static final List<String> TOOL_DATASETS = List.of("lf_glaive_toolcall_en_demo/glaive_toolcall_en_demo.jsonl",
      "functionary_small_tests/small_tests.jsonl", "functionary_test_cases/test_case.json",
      "functionary_test_cases/test_case_v2.json");

  /**
   * One column of the table: a tokenizer, a template (null: the tokenizer's own; else a TRL template name), the
   * sftprep settings and the same settings for the reference, over some inputs (null: every dataset).
   */
  record Setup(String name, String tokenizer, String trlTemplate, Map<String, String> settings,
      Map<String, Object> reference, List<String> datasets) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Setup> setups() {
    List<Setup> s = new ArrayList<>();
    for (String t : List.of("qwen3", "llama3", "gemma3", "deepseek_v3")) {
      s.add(new Setup(t, t, null, Map.of(), Map.of(), null));
    }
    s.add(new Setup("qwen3 + trl qwen3_training", "qwen3", "qwen3_training", Map.of(), Map.of(), null));
    s.add(new Setup("llama3 + trl llama3_training", "llama3", "llama3_training", Map.of(), Map.of(), null));
    s.add(new Setup("gemma3 + trl gemma3_training", "gemma3", "gemma3_training", Map.of(), Map.of(), null));
    s.add(new Setup("deepseek_v3 + trl deepseekv3_training", "deepseek_v3", "deepseekv3_training", Map.of(),
        Map.of(), null));
    s.add(new Setup("qwen3 last-assistant", "qwen3", null, Map.of("mask.policy", "last-assistant"),
        Map.of("policy", "last-assistant"), POLICY_DATASETS));
    s.add(new Setup("qwen3 all", "qwen3", null, Map.of("mask.policy", "all"), Map.of("policy", "all"),
        POLICY_DATASETS));
    s.add(new Setup("qwen3 roles=user,assistant", "qwen3", null,
        Map.of("mask.policy", "roles", "mask.roles", "user,assistant"),
        Map.of("policy", "roles", "roles", List.of("user", "assistant")), POLICY_DATASETS));
    s.add(new Setup("qwen3 completion", "qwen3", null, Map.of("mask.policy", "completion"),
        Map.of("policy", "completion"), POLICY_DATASETS));
    s.add(new Setup("qwen3 train-eot=false", "qwen3", null, Map.of("mask.train-eot", "false"),
        Map.of("train_eot", false), POLICY_DATASETS));
    s.add(new Setup("llama3 last-assistant", "llama3", null, Map.of("mask.policy", "last-assistant"),
        Map.of("policy", "last-assistant"), POLICY_DATASETS));
    s.add(new Setup("qwen3 + trl qwen3_training train-eot=false", "qwen3", "qwen3_training",
        Map.of("mask.train-eot", "false"), Map.of("train_eot", false), POLICY_DATASETS));
    s.add(new Setup("qwen3 + trl qwen3_training last-assistant", "qwen3", "qwen3_training",
        Map.of("mask.policy", "last-assistant"), Map.of("policy", "last-assistant"), POLICY_DATASETS));
    for (String t : List.of("deepseek_v3", "qwen3")) { // DeepSeek-V3's template concatenates arguments as text
      s.add(new Setup(t + " tool-arguments=string", t, null, Map.of("template.tool-arguments", "string"),
          Map.of("tool_arguments", "string"), TOOL_DATASETS));
    }
    return s;
  }

  @TempDir static Path work;
  static PythonReference.Batch batch;
  static final Map<String, Path> outputs = new LinkedHashMap<>();
  static final List<String> table = new ArrayList<>();

  @BeforeAll
  static void startReference() throws IOException {
    if (!PythonReference.available()) return; // each test skips with the reason
    List<Map<String, Object>> jobs = new ArrayList<>();
    for (Setup s : setups()) {
      Path dir = Fixtures.tokenizerDir(s.tokenizer());
      if (!Files.exists(dir.resolve("tokenizer.json"))) continue;
      Path template = null;
      if (s.trlTemplate() != null) {
        template = Fixtures.trlTemplate(s.trlTemplate()).orElse(null);
        if (template == null) continue;
      }
      Map<String, Object> job = new LinkedHashMap<>(s.reference());
      job.put("tokenizer", dir.toString());
      if (template != null) job.put("chat_template", template.toString());
      job.put("max_length", config(s).length().maxLength());
      List<String> in = new ArrayList<>();
      for (Path p : inputs(s)) in.add(p.toString());
      job.put("inputs", in);
      Path out = PythonReference.cachedOutput(job, work);
      outputs.put(s.name(), out);
      if (Files.exists(out)) continue; // computed by an earlier run from the same script, inputs and venv
      job.put("output", out.toString());
      jobs.add(job);
    }
    if (!jobs.isEmpty()) batch = PythonReference.start(jobs, work);
  }

  @AfterAll
  static void report() throws IOException {
    if (batch != null) batch.close();
    if (table.isEmpty()) return;
    StringBuilder sb = new StringBuilder();
    sb.append("| setup | dataset | records | identical | rejected by both (reason) | differ |\n");
    sb.append("|---|---|---:|---:|---|---:|\n");
    for (String row : table) sb.append(row).append('\n');
    System.out.println(sb);
    Path dir = Fixtures.repoRoot().resolve("core/target/parity");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("agreement.md"), sb.toString(), StandardCharsets.UTF_8);
  }

  static SftConfig config(Setup s) {
    return SftConfig.fromMap(s.settings());
  }

  static List<Path> inputs(Setup s) throws IOException {
    if (s.datasets() == null) {
      List<Path> all = new ArrayList<>(Fixtures.datasetInputs(ARRAY_COPIES));
      all.add(Fixtures.repoRoot().resolve("deploy/sample/chat.jsonl"));
      return all;
    }
    List<Path> out = new ArrayList<>();
    for (String d : s.datasets()) out.add(Fixtures.fixturesDir().resolve("datasets").resolve(d));
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void idsLabelsAndRejectionsMatchTransformers(Setup s) throws Exception {
    Path dir = Fixtures.requireTokenizer(s.tokenizer());
    PythonReference.python();
    String template = null;
    if (s.trlTemplate() != null) {
      Path t = Fixtures.trlTemplate(s.trlTemplate()).orElse(null);
      Assumptions.assumeTrue(t != null, "skipped: TRL template " + s.trlTemplate() + " not found");
      template = Files.readString(t, StandardCharsets.UTF_8);
    }
    List<Path> inputs = inputs(s);
    Map<Path, List<RecordResult>> mine = new LinkedHashMap<>();
    ModelFiles files = ModelFiles.load(dir);
    try (HfTokenizer tok = HfTokenizer.open(dir)) {
      Preprocessor p = new Preprocessor(config(s), files, tok, template != null ? template : files.chatTemplate(),
          NOW);
      for (Path in : inputs) mine.put(in, runJava(p, in));
    }
    List<Map<String, Object>> ref = PythonReference.await(batch, outputs.get(s.name()), 1800);
    Map<String, List<Map<String, Object>>> refByInput = new LinkedHashMap<>();
    for (Map<String, Object> r : ref) refByInput.computeIfAbsent((String) r.get("input"), k -> new ArrayList<>()).add(r);

    List<String> mismatches = new ArrayList<>();
    int total = 0;
    for (Path in : inputs) {
      List<Map<String, Object>> r = refByInput.getOrDefault(in.toString(), List.of());
      Agreement a = compare(r, mine.get(in));
      String name = Fixtures.fixturesDir().resolve("datasets").relativize(in).toString();
      if (name.startsWith("..")) name = in.getFileName().toString();
      table.add(String.format("| %s | %s | %d | %d | %s | %d |", s.name(), name, a.records, a.identical,
          a.rejectedBoth.isEmpty() ? "" : a.rejectedBoth.toString(), a.mismatches.size()));
      for (String m : a.mismatches) mismatches.add(name + " " + m);
      total += a.records;
    }
    System.out.printf("parity %s: %d records over %d inputs, %d differ%n", s.name(), total, inputs.size(),
        mismatches.size());
    assertTrue(total > 0, "no records compared");
    assertEquals(List.of(), mismatches.subList(0, Math.min(40, mismatches.size())),
        mismatches.size() + " records differ from transformers");
  }

  @SuppressWarnings("unchecked")
  static List<RecordResult> runJava(Preprocessor p, Path input) throws IOException {
    List<RecordResult> out = new ArrayList<>();
    if (input.toString().endsWith(".json")) {
      try (InputStream in = Files.newInputStream(input)) {
        Json.parseDocument(in, (i, v) -> out.add(v instanceof Map ? p.process((Map<String, Object>) v)
            : RecordResult.rejected(null, Reason.NOT_AN_OBJECT, "")));
      } catch (io.sftprep.core.json.JsonException e) {
        throw new IOException(input + ": " + e.getMessage(), e);
      }
    } else {
      for (String line : Files.readAllLines(input, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) out.add(p.process(line));
      }
    }
    return out;
  }

  /** Per-record comparison summary of one input. */
  static final class Agreement {
    int records;
    int identical;
    final Map<String, Integer> rejectedBoth = new TreeMap<>();
    final List<String> mismatches = new ArrayList<>();
  }

  /** Compares each record (each part of it) with the reference's. */
  @SuppressWarnings("unchecked")
  static Agreement compare(List<Map<String, Object>> ref, List<RecordResult> mine) {
    Agreement a = new Agreement();
    assertEquals(ref.size(), mine.size(), "record count");
    for (int i = 0; i < ref.size(); i++) {
      Map<String, Object> r = ref.get(i);
      RecordResult m = mine.get(i);
      List<Object> parts = (List<Object>) r.get("parts");
      a.records += parts.size();
      if (m.records() != parts.size()) {
        a.mismatches.add("line " + r.get("line") + ": reference has " + parts.size() + " conversations, sftprep "
            + m.records());
        continue;
      }
      for (int k = 0; k < parts.size(); k++) {
        Map<String, Object> part = (Map<String, Object>) parts.get(k);
        final int partNo = k;
        Sample s = m.samples().stream().filter(x -> x.part() == partNo).findFirst().orElse(null);
        Rejection j = m.rejections().stream().filter(x -> x.part() == partNo).findFirst().orElse(null);
        String where = "line " + r.get("line") + (parts.size() > 1 ? " part " + k : "");
        if (part.containsKey("reject")) {
          String reason = (String) part.get("reject");
          if (j != null && j.reason().key().equals(reason)) {
            a.rejectedBoth.merge(reason, 1, Integer::sum);
          } else if (j != null) {
            a.mismatches.add(where + ": both rejected, reference for " + reason + " (" + part.get("error")
                + "), sftprep for " + j.reason().key() + " (" + j.detail() + ")");
          } else {
            a.mismatches.add(where + ": reference rejected (" + reason + " " + part.get("error")
                + "), sftprep wrote a sample");
          }
          continue;
        }
        if (s == null) {
          a.mismatches.add(where + ": sftprep rejected (" + (j == null ? "?" : j.reason().key() + ": "
              + j.detail()) + "), reference wrote a sample");
          continue;
        }
        int[] ids = toInts((List<Object>) part.get("input_ids"));
        int[] labels = toInts((List<Object>) part.get("labels"));
        if (!Arrays.equals(ids, s.inputIds())) {
          a.mismatches.add(where + ": input_ids differ at token " + firstDiff(ids, s.inputIds()) + " (" + ids.length
              + " vs " + s.inputIds().length + " tokens)");
        } else if (!Arrays.equals(labels, s.labels())) {
          a.mismatches.add(where + ": labels differ at token " + firstDiff(labels, s.labels()) + " (reference "
              + labels[firstDiff(labels, s.labels())] + ", sftprep " + s.labels()[firstDiff(labels, s.labels())]
              + ")");
        } else {
          a.identical++;
        }
      }
    }
    return a;
  }

  static int[] toInts(List<Object> l) {
    int[] a = new int[l.size()];
    for (int i = 0; i < a.length; i++) a[i] = ((Number) l.get(i)).intValue();
    return a;
  }

  static int firstDiff(int[] a, int[] b) {
    for (int i = 0; i < Math.min(a.length, b.length); i++) if (a[i] != b[i]) return i;
    return Math.min(a.length, b.length);
  }
}
