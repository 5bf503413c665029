package io.sftprep.core.pipeline;

import static io.sftprep.core.testing.Pipelines.rejection;
import static io.sftprep.core.testing.Pipelines.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.core.mask.Labels;
import io.sftprep.core.stats.FileStats;
import io.sftprep.core.testing.Pipelines;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code max-length} with each {@code overflow}: {@code drop} (the default) rejects, {@code truncate} keeps the head
 * unless nothing trained is left, {@code split} cuts plain text into consecutive pieces and refuses chats. Qwen3,
 * on the 30-token conversation of {@link MaskPoliciesTest#C2}.
 */
class LengthOverflowTest {
  static final int X = Labels.IGNORE;
  static final int[] LABELS = {X, X, X, X, X, X, X, X, X, 9707, 151645, X, X, X, X, X, X, X, X, X, X, X, 151667, 271,
    151668, 271, 34, 22516, 151645, X};

  @Test
  void aSampleOfExactlyMaxLengthIsKept() {
    Sample s = sample(Pipelines.of("qwen3", "max-length=30").process(MaskPoliciesTest.C2));
    assertArrayEquals(MaskPoliciesTest.C2_QWEN3, s.inputIds());
    assertArrayEquals(LABELS, s.labels());
    assertFalse(s.truncated());
  }

  @Test
  void dropRejectsALongerSample() {
    Rejection j = rejection(Pipelines.of("qwen3", "max-length=29").process(MaskPoliciesTest.C2));
    assertEquals(Reason.TOO_LONG, j.reason());
    assertEquals("30 tokens > max-length 29 (overflow=drop)", j.detail());
  }

  @Test
  void truncateKeepsTheHeadWithItsLabels() {
    Sample s = sample(Pipelines.of("qwen3", "max-length=12", "overflow=truncate").process(MaskPoliciesTest.C2));
    assertArrayEquals(Arrays.copyOf(MaskPoliciesTest.C2_QWEN3, 12), s.inputIds());
    assertArrayEquals(Arrays.copyOf(LABELS, 12), s.labels());
    assertEquals(2, s.numTrained());
    assertEquals(30, s.fullLength());
    assertTrue(s.truncated());
  }

  @Test
  void anOverlongChatIsDroppedBeforeItsMaskIsFound() {
    // regression: spans were found first (one rendering per turn, quadratic in turns) and only then was the
    // sample dropped for its length; now the length of the full rendering decides first, so this record, which
    // has no assistant turn either, is too-long
    StringBuilder sb = new StringBuilder("{\"messages\": [");
    for (int i = 0; i < 400; i++) sb.append(i == 0 ? "" : ", ").append("{\"role\": \"user\", \"content\": \"q\"}");
    Rejection j = rejection(Pipelines.of("qwen3", "max-length=1024").process(sb.append("]}").toString()));
    assertEquals(Reason.TOO_LONG, j.reason());
    assertEquals("2400 tokens > max-length 1024 (overflow=drop)", j.detail());
    // under truncate the mask is needed, and the record's own fault shows
    Rejection t = rejection(Pipelines.of("qwen3", "max-length=1024", "overflow=truncate").process(sb.toString()));
    assertEquals(Reason.NO_ASSISTANT_TURN, t.reason());
  }

  @Test
  void truncateDropsAHeadWithNothingTrained() {
    Rejection j = rejection(Pipelines.of("qwen3", "max-length=9", "overflow=truncate").process(MaskPoliciesTest.C2));
    assertEquals(Reason.NO_TRAINABLE_TOKENS, j.reason());
    assertEquals("truncated to 9 of 30 tokens, no trained token is left", j.detail());
  }

  @Test
  void splitRefusesChats() {
    Rejection j = rejection(Pipelines.of("qwen3", "max-length=20", "overflow=split").process(MaskPoliciesTest.C2));
    assertEquals(Reason.TOO_LONG, j.reason());
    assertEquals("30 tokens > max-length 20 (overflow=split, which applies to plain text only)", j.detail());
  }

  @Test
  void splitCutsPlainTextIntoConsecutivePiecesOfOneRecord() {
    // "The sky is blue." + <|im_end|> = [785, 12884, 374, 6303, 13, 151645]
    RecordResult r = Pipelines.of("qwen3", "max-length=4", "overflow=split").process("{\"text\": \"The sky is blue.\"}");
    assertEquals(0, r.rejections().size());
    assertEquals(2, r.samples().size());
    Sample a = r.samples().get(0);
    Sample b = r.samples().get(1);
    assertArrayEquals(new int[] {785, 12884, 374, 6303}, a.inputIds());
    assertArrayEquals(new int[] {785, 12884, 374, 6303}, a.labels());
    assertArrayEquals(new int[] {13, 151645}, b.inputIds());
    assertArrayEquals(new int[] {13, 151645}, b.labels());
    assertEquals(0, a.part());
    assertEquals(0, b.part());
    assertEquals(0, a.chunk());
    assertEquals(1, b.chunk());
    // one record, written once, however many pieces
    assertEquals(1, r.records());
    assertEquals(1, r.written());
    FileStats f = new FileStats();
    f.add(r);
    f.check("x");
    assertEquals(2, f.samples);
    assertEquals(1, f.truncated);
  }

  @Test
  void truncateAppliesToPlainTextToo() {
    Sample s = sample(Pipelines.of("qwen3", "max-length=3", "overflow=truncate")
        .process("{\"prompt\": \"The sky\", \"completion\": \" is blue.\"}"));
    assertArrayEquals(new int[] {785, 12884, 374}, s.inputIds());
    assertArrayEquals(new int[] {X, X, 374}, s.labels());
  }
}
