package io.sftprep.udfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sftprep.core.pipeline.Preprocessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pool lends a preprocessor to one borrower at a time and takes it back for the next, on any thread; idle ones
 * of specs no longer borrowed are closed.
 */
class PreprocessorPoolTest {
  static PreprocessorSpec base;

  @BeforeAll
  static void openQwen3() throws Exception {
    SftFunctionsTest.openQwen3();
    base = SftFunctionsTest.spec;
  }

  /** A spec of its own per test (a different day), so the tests do not share idle preprocessors. */
  static PreprocessorSpec day(int day) {
    return new PreprocessorSpec(base.tokenizerUri(), base.tokenizerSha256(), Map.of(), null,
        String.format("2026-03-%02dT00:00", day), Map.of());
  }

  @Test
  void aGivenBackPreprocessorIsLentAgainEvenToAnotherThread() throws Exception {
    PreprocessorSpec s = day(1);
    Preprocessor first;
    try (PreprocessorPool.Lease a = PreprocessorPool.borrow(s)) {
      first = a.preprocessor();
    }
    assertEquals(1, PreprocessorPool.idle(s));
    Preprocessor[] other = new Preprocessor[1];
    Thread t = new Thread(() -> {
      try (PreprocessorPool.Lease b = PreprocessorPool.borrow(s)) {
        other[0] = b.preprocessor();
      }
    });
    t.start();
    t.join();
    assertSame(first, other[0]);
    assertEquals(1, PreprocessorPool.idle(s));
  }

  @Test
  void twoLeasesAtOnceNeverShareAPreprocessorAndBothComeBack() {
    PreprocessorSpec s = day(2);
    PreprocessorPool.Lease a = PreprocessorPool.borrow(s);
    PreprocessorPool.Lease b = PreprocessorPool.borrow(s);
    assertNotSame(a.preprocessor(), b.preprocessor());
    a.close();
    b.close();
    b.close(); // a second close gives nothing back twice
    assertEquals(2, PreprocessorPool.idle(s));
    assertThrows(IllegalStateException.class, a::preprocessor, "a given-back lease cannot be used");
  }

  @Test
  void idleOnesOfSpecsNoLongerBorrowedAreClosed() {
    PreprocessorSpec old = day(10);
    Preprocessor first;
    try (PreprocessorPool.Lease a = PreprocessorPool.borrow(old)) {
      first = a.preprocessor();
    }
    List<PreprocessorSpec> later = new ArrayList<>();
    for (int d = 11; d <= 10 + PreprocessorPool.MAX_SPECS; d++) later.add(day(d));
    for (PreprocessorSpec s : later) PreprocessorPool.borrow(s).close();
    assertEquals(0, PreprocessorPool.idle(old), "the oldest spec's idle preprocessor was closed");
    try (PreprocessorPool.Lease again = PreprocessorPool.borrow(old)) {
      assertNotSame(first, again.preprocessor());
    }
  }
}
