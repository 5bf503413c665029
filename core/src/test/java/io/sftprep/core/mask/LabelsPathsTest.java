package io.sftprep.core.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.core.testing.Fixtures;
import io.sftprep.core.tokenize.Encoded;
import io.sftprep.core.tokenize.HfTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ids-only path (token boundaries from fixed per-token byte lengths) labels every text exactly as the
 * offsets path does, on random mixed-script texts with special tokens and random spans, for each tokenizer.
 */
class LabelsPathsTest {
  static final String[] PIECES = {"Hello", " world", ",", " 你好", "世界", " 😀", "x", "\n", "\n\n", "  ", "\t",
    "naïve", " café", "日本語", "Ωμέγα", " مرحبا", "🏳️‍🌈", "1234567", " 3.14", "<|im_end|>", "<|eot_id|>",
    "<end_of_turn>", "<｜end▁of▁sentence｜>", "<think>", "e\u0301", "▁", "\u00a0", "ß", "İ", "\r\n", "    code()"};

  @ParameterizedTest
  @ValueSource(strings = {"qwen3", "llama3", "gemma3", "deepseek_v3"})
  void idsOnlyLabelsEqualOffsetLabels(String name) throws Exception {
    Random rnd = new Random(7);
    int fast = 0;
    try (HfTokenizer tok = HfTokenizer.open(Fixtures.requireTokenizer(name))) {
      assertNotNull(tok.lengths(), name + " has fixed token lengths");
      for (int trial = 0; trial < 400; trial++) {
        StringBuilder sb = new StringBuilder();
        int parts = 1 + rnd.nextInt(40);
        for (int i = 0; i < parts; i++) sb.append(PIECES[rnd.nextInt(PIECES.length)]);
        String text = sb.toString();
        List<CharSpan> spans = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
          int s = at + rnd.nextInt(Math.max(1, text.length() - at));
          int e = Math.min(text.length(), s + 1 + rnd.nextInt(Math.max(1, text.length() / 3)));
          if (Character.isLowSurrogate(text.charAt(s))) s--;
          if (e < text.length() && Character.isLowSurrogate(text.charAt(e))) e++;
          if (s >= at && e > s) spans.add(new CharSpan(s, e));
          at = e + 1 + rnd.nextInt(5);
        }
        List<CharSpan> merged = SpanFinder.merge(spans);
        Labels.Tokens t = Labels.tokenize(tok, text, merged);
        Encoded e = tok.encode(text);
        assertArrayEquals(e.ids(), t.ids(), text);
        assertArrayEquals(Labels.of(e.ids(), e.starts(), e.ends(), merged), t.labels(), () -> text + " " + merged);
        int[] spanBytes = new int[merged.size() * 2];
        int total = Labels.utf8Offsets(text, merged, spanBytes);
        if (tok.lengths().boundaries(text, t.ids(), total) != null) fast++;
      }
    }
    // gemma3 bails out on texts holding a literal U+2581 (two of the pieces do), the others almost never
    assertTrue(fast > 100, "the ids-only path was used for too few texts: " + fast + " of 400");
  }
}
