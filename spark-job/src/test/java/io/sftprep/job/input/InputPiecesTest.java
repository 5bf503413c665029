package io.sftprep.job.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pieces (the processed units) read exactly the lines, with the same numbers, that their splits do. */
class InputPiecesTest {
  @TempDir Path tmp;

  private final Configuration conf = new Configuration(false);

  private InputFile file(String name, String text) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return InputFile.of(p.toUri().toString(), name, Files.size(p), 0);
  }

  /** "lineNo:text" of every line the splits own, in order. */
  private List<String> read(List<InputSplit> splits) throws IOException {
    List<String> out = new ArrayList<>();
    for (InputSplit s : splits) {
      try (SplitReader.Lines l = SplitReader.lines(s, conf)) {
        while (l.next()) out.add(l.lineNo() + ":" + new String(l.bytes(), 0, l.length(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** The splits of {@code f} numbered as the job numbers them, then cut into pieces. */
  private List<InputSplit> pieces(InputFile f, long splitBytes, long pieceBytes) throws IOException {
    List<InputSplit> out = new ArrayList<>();
    long before = 0;
    for (InputSplit s : InputPlanner.split(List.of(f), splitBytes)) {
      SplitReader.Digest d = SplitReader.scan(s, pieceBytes, conf);
      out.addAll(InputPlanner.pieces(s.withFirstLine(before + 1), d, pieceBytes));
      before += d.newlines();
    }
    return out;
  }

  @Test
  void aSplitIsCutEvenlyAndPiecesAreNumberedFromTheNewlinesBeforeThem() throws IOException {
    // 10 bytes a line, newlines at 9, 19, ..., 99; at most 40 bytes a piece: 3 pieces of 34
    InputFile f = file("ten.jsonl", "line-0001\n".repeat(10));
    InputSplit whole = InputPlanner.split(List.of(f), 1 << 20).get(0).withFirstLine(1);
    SplitReader.Digest d = SplitReader.scan(whole, 40, conf);
    assertArrayEquals(new long[] {3, 3, 4}, d.pieceNewlines());
    assertEquals(10, d.newlines());
    List<InputSplit> ps = InputPlanner.pieces(whole, d, 40);
    assertEquals(List.of(0L, 34L, 68L), ps.stream().map(InputSplit::start).toList());
    assertEquals(List.of(34L, 68L, 100L), ps.stream().map(InputSplit::end).toList());
    assertEquals(List.of(1L, 4L, 7L), ps.stream().map(InputSplit::firstLine).toList());
    // the lines each piece owns: those that begin in it (line 4 begins at 30, in the first piece)
    assertEquals(List.of("1:line-0001", "2:line-0001", "3:line-0001", "4:line-0001"), read(List.of(ps.get(0))));
    assertEquals(List.of("8:line-0001", "9:line-0001", "10:line-0001"), read(List.of(ps.get(2))));
  }

  @Test
  void piecesReadTheSameLinesAsTheirSplits() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      b.append("{\"n\": ").append(i).append(", \"t\": \"").append("é".repeat(i % 37)).append("x".repeat(i % 11 * 9))
          .append("\"}").append(i % 50 == 7 ? "\r\n" : "\n");
      if (i % 61 == 3) b.append('\n'); // a blank line
      if (i == 150) b.append("{\"long\": \"").append("y".repeat(900)).append("\"}\n"); // longer than a piece
    }
    b.append("{\"last\": \"no newline\"}");
    InputFile f = file("mixed.jsonl", b.toString());
    List<String> expected = read(List.of(InputPlanner.split(List.of(f), Long.MAX_VALUE).get(0).withFirstLine(1)));
    assertEquals(302 + 300 / 61 + 1, expected.size());
    for (long splitBytes : new long[] {1 << 20, 4096, 1000}) {
      for (long pieceBytes : new long[] {splitBytes, 500, 97, 13}) {
        List<InputSplit> cells = pieces(f, splitBytes, Math.min(splitBytes, pieceBytes));
        assertEquals(expected, read(cells), "split " + splitBytes + ", piece " + pieceBytes);
        for (int tail : new int[] {0, 3, 1000}) { // cells grouped into pieces of about three, the last ones single
          assertEquals(expected, read(InputPlanner.group(cells, 3 * pieceBytes, tail)),
              "split " + splitBytes + ", cell " + pieceBytes + ", tail " + tail);
        }
      }
    }
  }

  @Test
  void eachSplitsCellsAreSharedAmongItsPiecesAndTheInputsLastCellsStaySingle() {
    InputFile a = InputFile.of("file:/x/a.jsonl", "a.jsonl", 50, 0);
    InputFile b = InputFile.of("file:/x/b.jsonl", "b.jsonl", 40, 0);
    InputFile gz = InputFile.of("file:/x/c.jsonl.gz", "c.jsonl.gz", 30, 0);
    // a: five cells of 10 bytes on lines 1, 3, 5, 7, 9; b: four of 10 on lines 11, 12, 13, 14; pieces of 25 bytes
    List<InputSplit> cells = new ArrayList<>();
    for (int k = 0; k < 5; k++) cells.add(new InputSplit(0, a, 0, 10 * k, 10 * k + 10, 1 + 2 * k));
    for (int k = 0; k < 4; k++) cells.add(new InputSplit(1, b, 0, 10 * k, 10 * k + 10, 11 + k));
    assertEquals(List.of("0:0-20@1", "0:20-50@5", "1:0-20@11", "1:20-30@13", "1:30-40@14"),
        describe(InputPlanner.group(cells, 25, 2)));
    assertEquals(List.of("0:0-20@1", "0:20-50@5", "1:0-20@11", "1:20-40@13"),
        describe(InputPlanner.group(cells, 25, 0)));
    assertEquals(9, InputPlanner.group(cells, 25, 9).size(), "all single");
    // a file that cannot be cut is one cell and one piece, even in the tail
    InputSplit whole = new InputSplit(2, gz, 0, 0, 30, 15);
    cells.add(whole);
    List<InputSplit> grouped = InputPlanner.group(cells, 25, 1);
    assertEquals(whole, grouped.get(grouped.size() - 1));
    assertEquals(List.of("0:0-20@1", "0:20-50@5", "1:0-20@11", "1:20-40@13", "2:0-30@15"), describe(grouped));
    // an empty file is still a piece
    InputFile empty = InputFile.of("file:/x/e.jsonl", "e.jsonl", 0, 0);
    InputSplit none = new InputSplit(0, empty, 0, 0, 0, 1);
    assertEquals(List.of(none), InputPlanner.group(List.of(none), 25, 0));
  }

  private static List<String> describe(List<InputSplit> pieces) {
    return pieces.stream().map(p -> p.fileIndex() + ":" + p.start() + "-" + p.end() + "@" + p.firstLine()).toList();
  }

  @Test
  void cellsAreAnEighthOfAPieceOfAtLeastOneMebibyteAndEndTheInputAPieceForEachCore() {
    assertEquals(4L << 20, InputPlanner.cellBytes(32L << 20));
    assertEquals(1L << 20, InputPlanner.cellBytes(8L << 20));
    assertEquals((8L << 20) - 1, InputPlanner.cellBytes((8L << 20) - 1), "smaller pieces are not cut");
    assertEquals(16, InputPlanner.tailCells(32L << 20, 2));
    assertEquals(0, InputPlanner.tailCells(1L << 20, 2));
  }

  @Test
  void aFileThatCannotBeCutIsOnePiece() throws IOException {
    InputFile f = file("doc.json", "[{\"a\": 1},\n{\"a\": 2}]\n");
    InputSplit s = InputPlanner.split(List.of(f), 4).get(0).withFirstLine(1);
    SplitReader.Digest d = SplitReader.scan(s, 4, conf);
    assertEquals(List.of(s), InputPlanner.pieces(s, d, 4));
  }

  @Test
  void pieceSizeIsAQuarterOfEachCoresShareWithinBounds() {
    InputFile big = InputFile.of("file:/x/big.jsonl", "big.jsonl", 800L << 20, 0);
    InputFile gz = InputFile.of("file:/x/c.jsonl.gz", "c.jsonl.gz", 800L << 20, 0);
    assertEquals((800L << 20) / 8 + 1, InputPlanner.pieceBytes(List.of(big, gz), 2, 1L << 30));
    assertEquals(32L << 20, InputPlanner.pieceBytes(List.of(big), 2, 32L << 20), "never more than a split");
    InputFile small = InputFile.of("file:/x/s.jsonl", "s.jsonl", 100_000, 0);
    assertEquals(256 << 10, InputPlanner.pieceBytes(List.of(small), 16, 32L << 20), "never less than 256 KiB");
  }
}
