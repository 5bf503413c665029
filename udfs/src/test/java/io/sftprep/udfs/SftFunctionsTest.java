package io.sftprep.udfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The functions called as Spark calls them (no session needed): literal ids and labels for one Qwen3
 * conversation, the same whether the messages come as a JSON string or as Spark structs (whose null fields are
 * absent keys), null in gives null out, and what cannot be used says why.
 */
class SftFunctionsTest {
  static final String HI = "[{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello!\"}]";
  static final int[] HI_IDS = {151644, 872, 198, 13048, 151645, 198, 151644, 77091, 198, 151667, 271, 151668, 271,
    9707, 0, 151645, 198};
  static final int[] HI_LABELS = {-100, -100, -100, -100, -100, -100, -100, -100, -100, 151667, 271, 151668, 271,
    9707, 0, 151645, -100};
  static PreprocessorSpec spec;

  @BeforeAll
  static void openQwen3() throws Exception {
    String cache = System.getenv("SFTPREP_CACHE");
    Path base = cache != null ? Paths.get(cache) : Paths.get(System.getProperty("user.home"), ".cache", "sftprep");
    Path dir = base.resolve("tokenizers/qwen3");
    Assumptions.assumeTrue(Files.exists(dir.resolve("tokenizer.json")),
        "skipped: tokenizer qwen3 not fetched; run deploy/bin/sftprep fetch-tokenizer qwen3");
    spec = PreprocessorSpec.resolve(dir.toUri().toString(), Map.of("template.now", "2026-01-01T00:00"),
        new Configuration());
  }

  static Row message(String role, String content) {
    StructType t = (StructType) DataType.fromDDL("role string, content string, tool_calls string");
    return new GenericRowWithSchema(new Object[] {role, content, null}, t);
  }

  @Test
  void tokenizeGivesIdsAndAssistantOnlyLabels() {
    Row r = new SftTokenize(spec).call(HI);
    assertArrayEquals(HI_IDS, (int[]) r.get(0));
    assertArrayEquals(HI_LABELS, (int[]) r.get(1));
    assertEquals(17, r.get(2));
    assertEquals(7, r.get(3));
    assertNull(r.get(4));
  }

  @Test
  void sparkStructsAreTheSameMessagesWithoutTheirNullFields() {
    List<Row> msgs = List.of(message("user", "Hi"), message("assistant", "Hello!"));
    Row r = new SftTokenize(spec).call(scala.jdk.javaapi.CollectionConverters.asScala(msgs).toSeq());
    assertArrayEquals(HI_IDS, (int[]) r.get(0));
    assertArrayEquals(HI_LABELS, (int[]) r.get(1));
    assertEquals(17, new SftNumTokens(spec).call(scala.jdk.javaapi.CollectionConverters.asScala(msgs).toSeq()));
  }

  @Test
  void renderGivesTheTemplatesText() {
    assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nHello!<|im_end|>\n",
        new SftRender(spec).call(HI));
  }

  @Test
  void nullInNullOut() {
    assertNull(new SftTokenize(spec).call(null));
    assertNull(new SftRender(spec).call(null));
    assertNull(new SftNumTokens(spec).call(null));
    assertNull(new SftTokenizeJson(spec).call(null));
  }

  @Test
  void unusableMessagesSayWhy() {
    assertEquals("bad-field", new SftTokenize(spec).call("{\"role\": \"user\"}").getString(4));
    assertEquals("invalid-json", new SftTokenize(spec).call("[{").getString(4));
    assertEquals("no-assistant-turn",
        new SftTokenize(spec).call("[{\"role\": \"user\", \"content\": \"Hi\"}]").getString(4));
    assertNull(new SftNumTokens(spec).call("[]"));
    assertNull(new SftRender(spec).call("[{\"role\": \"robot\", \"content\": \"Hi\"}]"));
  }

  @Test
  void tokenizeJsonReadsAnyLayoutOneElementPerSample() {
    List<Row> one = new SftTokenizeJson(spec).call("{\"messages\": " + HI + "}");
    assertEquals(1, one.size());
    assertArrayEquals(HI_IDS, (int[]) one.get(0).get(2));
    List<Row> alpaca = new SftTokenizeJson(spec).call("{\"instruction\": \"Hi\", \"output\": \"Hello!\"}");
    assertArrayEquals(HI_IDS, (int[]) alpaca.get(0).get(2), "alpaca becomes the same conversation");
    List<Row> bad = new SftTokenizeJson(spec).call("{\"question\": \"?\"}");
    assertEquals("unknown-format", bad.get(0).getString(6));
  }

  @Test
  void oneThreadReusesItsPreprocessorAndKeepsOnlyTheLastFewOpen() throws Exception {
    assertSame(ThreadPreprocessors.get(spec), ThreadPreprocessors.get(spec));
    Thread t = new Thread(() -> {
      io.sftprep.core.pipeline.Preprocessor first = null;
      for (int day = 1; day <= ThreadPreprocessors.PER_THREAD + 1; day++) {
        PreprocessorSpec s = new PreprocessorSpec(spec.tokenizerUri(), spec.tokenizerSha256(), Map.of(),
            null, "2026-01-0" + day + "T00:00", Map.of());
        io.sftprep.core.pipeline.Preprocessor p = ThreadPreprocessors.get(s);
        if (day == 1) first = p;
        assertTrue(ThreadPreprocessors.openOnThisThread() <= ThreadPreprocessors.PER_THREAD);
      }
      PreprocessorSpec again = new PreprocessorSpec(spec.tokenizerUri(), spec.tokenizerSha256(), Map.of(), null,
          "2026-01-01T00:00", Map.of());
      assertNotSame(first, ThreadPreprocessors.get(again), "the oldest was closed and is opened anew");
    });
    Throwable[] failed = {null};
    t.setUncaughtExceptionHandler((th, e) -> failed[0] = e);
    t.start();
    t.join();
    if (failed[0] != null) throw new AssertionError(failed[0]);
  }

  /** Runs {@code body} on a new thread and waits for it to end; rethrows what it threw. */
  private static void onNewThread(Runnable body) throws Exception {
    Throwable[] failed = {null};
    Thread t = new Thread(body);
    t.setUncaughtExceptionHandler((th, e) -> failed[0] = e);
    t.start();
    t.join();
    if (failed[0] != null) throw new AssertionError(failed[0]);
  }

  @Test
  void aThreadThatEndedHandsItsPreprocessorToTheNextThreadNeverToALiveOne() throws Exception {
    PreprocessorSpec s = new PreprocessorSpec(spec.tokenizerUri(), spec.tokenizerSha256(), Map.of(), null,
        "2026-02-01T00:00", Map.of());
    io.sftprep.core.pipeline.Preprocessor[] got = new io.sftprep.core.pipeline.Preprocessor[3];
    onNewThread(() -> got[0] = ThreadPreprocessors.get(s)); // ends holding it, like a recycled Spark task thread
    java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
    Thread live = new Thread(() -> {
      got[1] = ThreadPreprocessors.get(s);
      ready.countDown();
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    live.start();
    ready.await();
    onNewThread(() -> got[2] = ThreadPreprocessors.get(s));
    hold.countDown();
    live.join();
    assertSame(got[0], got[1], "the second thread takes over the ended thread's preprocessor");
    assertNotSame(got[1], got[2], "a live thread's preprocessor is never handed to another");
  }

  @Test
  void returnTypesAreTheDeclaredStructs() {
    assertEquals(DataType.fromDDL(SftFunctions.TOKENIZED_DDL), SftFunctions.Fn.TOKENIZE.returnType());
    assertEquals(List.of("input_ids", "labels", "num_tokens", "num_trained", "reject_reason"),
        List.of(((StructType) SftFunctions.Fn.TOKENIZE.returnType()).fieldNames()));
  }
}
