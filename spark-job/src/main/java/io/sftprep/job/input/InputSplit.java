package io.sftprep.job.input;

import java.io.Serializable;

/**
 * A byte range {@code [start, end)} of an input file. It owns the lines that begin inside it; {@code firstLine}
 * is the 1-based number of the first of them, known after the counting pass (0 until then).
 */
public record InputSplit(int fileIndex, InputFile file, int index, long start, long end, long firstLine)
    implements Serializable {
  public InputSplit withFirstLine(long line) {
    return new InputSplit(fileIndex, file, index, start, end, line);
  }
}
