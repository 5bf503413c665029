package io.sftprep.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.core.config.SftConfig;
import io.sftprep.core.json.Json;
import io.sftprep.core.testing.Fixtures;
import io.sftprep.core.testing.PythonReference;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.core.tokenize.ModelFiles;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Record-for-record parity with Python transformers: {@code input_ids} equal
 * {@code apply_chat_template(messages, tokenize=True)} and labels equal the reference's (transformers'
 * {@code return_assistant_tokens_mask} for templates with generation blocks, the Python twin of the span rule
 * otherwise), and both sides reject the same records.
 */
class TransformersParityTest {
  static final List<String> TOKENIZERS = List.of("qwen3", "llama3", "gemma3", "deepseek_v3");

  static List<Arguments> corpora() {
    List<Arguments> out = new ArrayList<>();
    for (String t : TOKENIZERS) {
      out.add(Arguments.of("datasets/lf_kto_en_demo/kto_en_demo.jsonl", t));
      out.add(Arguments.of("repo:deploy/sample/chat.jsonl", t));
    }
    return out;
  }

  @ParameterizedTest(name = "{0} x {1}")
  @MethodSource("corpora")
  void idsAndLabelsMatchTransformers(String corpus, String tokenizer) throws Exception {
    Path input = corpus.startsWith("repo:") ? Fixtures.repoRoot().resolve(corpus.substring(5))
        : Fixtures.requireFixture(corpus);
    Path dir = Fixtures.requireTokenizer(tokenizer);
    List<Map<String, Object>> ref = PythonReference.reference(dir, input,
        List.of("--max-length", Integer.toString(SftConfig.defaultConfig().length().maxLength())));
    Agreement a = compare(dir, input, ref, SftConfig.defaultConfig(), null);
    System.out.printf("parity %s x %s: %s%n", corpus, tokenizer, a);
    assertTrue(a.records > 0, "no records compared");
    assertEquals(List.of(), a.mismatches, "records that differ from transformers");
  }

  /** Per-record comparison summary. */
  static final class Agreement {
    int records;
    int samplesEqual;
    int rejectedBoth;
    final List<String> mismatches = new ArrayList<>();

    @Override
    public String toString() {
      return String.format("%d records: %d samples identical, %d rejected by both, %d differ", records,
          samplesEqual, rejectedBoth, mismatches.size());
    }
  }

  /** Runs the Java preprocessor over {@code input} and compares each record with the reference's. */
  @SuppressWarnings("unchecked")
  static Agreement compare(Path dir, Path input, List<Map<String, Object>> ref, SftConfig config, String template)
      throws Exception {
    ModelFiles files = ModelFiles.load(dir);
    List<RecordResult> mine = new ArrayList<>();
    try (HfTokenizer tok = HfTokenizer.open(dir)) {
      Preprocessor p = new Preprocessor(config, files, tok, template != null ? template : files.chatTemplate(),
          LocalDateTime.of(2026, 1, 1, 0, 0));
      if (input.toString().endsWith(".json")) {
        try (InputStream in = Files.newInputStream(input)) {
          Json.parseDocument(in, (i, v) -> mine.add(v instanceof Map ? p.process((Map<String, Object>) v)
              : RecordResult.rejected(null, Reason.NOT_AN_OBJECT, "")));
        }
      } else {
        for (String line : Files.readAllLines(input, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) mine.add(p.process(line));
        }
      }
    }
    Agreement a = new Agreement();
    assertEquals(ref.size(), mine.size(), "record count");
    for (int i = 0; i < ref.size(); i++) {
      Map<String, Object> r = ref.get(i);
      RecordResult m = mine.get(i);
      List<Object> parts = (List<Object>) r.get("parts");
      a.records += parts.size();
      for (int k = 0; k < parts.size(); k++) {
        Map<String, Object> part = (Map<String, Object>) parts.get(k);
        final int partNo = k;
        Sample s = m.samples().stream().filter(x -> x.part() == partNo).findFirst().orElse(null);
        Rejection j = m.rejections().stream().filter(x -> x.part() == partNo).findFirst().orElse(null);
        String where = "line " + r.get("line") + " part " + k;
        if (part.containsKey("reject")) {
          if (j != null) {
            a.rejectedBoth++;
          } else {
            a.mismatches.add(where + ": reference rejected (" + part.get("reject") + " " + part.get("error")
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
          a.mismatches.add(where + ": input_ids differ (" + ids.length + " vs " + s.inputIds().length + ")");
        } else if (!Arrays.equals(labels, s.labels())) {
          a.mismatches.add(where + ": labels differ at token " + firstDiff(labels, s.labels()));
        } else {
          a.samplesEqual++;
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
