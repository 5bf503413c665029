package io.sftprep.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sftprep run} as the launcher calls it, on a first run whose input is mostly bad: the command returns
 * exit code 3, prints the top reasons, writes the version with its rejects, and publishes nothing ({@code _LATEST}
 * does not exist).
 */
class RunExitCodeTest {
  @TempDir Path tmp;

  @Test
  void tooManyRejectsOnAFirstRunReturnsThreeAndPublishesNothing() throws Exception {
    String cache = System.getenv("SFTPREP_CACHE");
    Path tok = (cache != null ? Paths.get(cache) : Paths.get(System.getProperty("user.home"), ".cache", "sftprep"))
        .resolve("tokenizers/qwen3");
    Assumptions.assumeTrue(Files.exists(tok.resolve("tokenizer.json")), "skipped: tokenizer qwen3 not fetched");
    Path in = tmp.resolve("in.jsonl");
    Files.writeString(in, "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\","
        + " \"content\": \"Hello\"}]}\nnot json\n[1]\n{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}]}\n");
    Path out = tmp.resolve("out");
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      code = Main.run(new String[] {"run", "--input", in.toString(), "--output", out.toString(), "--tokenizer",
          tok.toString(), "--master", "local[2]", "--set", "pack.seq-length=256", "--set", "output.num-shards=1"});
    } finally {
      System.setOut(old);
    }
    String printed = buf.toString(StandardCharsets.UTF_8);
    assertEquals(3, code, printed);
    assertTrue(printed.contains("FAILED: 75.00% of records were rejected, above max-reject-fraction 5.00%"), printed);
    assertTrue(printed.contains("top reasons: invalid-json (1), no-assistant-turn (1), not-an-object (1)"), printed);
    assertTrue(printed.contains("written (not published) "), printed);
    assertFalse(Files.exists(out.resolve("_LATEST")), "nothing is published");
    Path version;
    try (Stream<Path> s = Files.list(out)) {
      version = s.filter(p -> p.getFileName().toString().startsWith("v")).findFirst().orElseThrow();
    }
    assertEquals(3, Files.readAllLines(version.resolve("rejects/rejects.jsonl")).size());
    assertTrue(Files.exists(version.resolve("_manifest.json")));
  }
}
