package io.sftprep.job;

import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code sftprep run} request: where to read, where to publish, which tokenizer, the merged settings
 * (config file, then {@code --set}), and the refresh controls.
 */
public record RunOptions(String input, String output, String tokenizer, TreeMap<String, String> settings,
    boolean force, int keep) {
  public RunOptions {
    if (input == null || input.isBlank()) throw new IllegalArgumentException("--input is required");
    if (output == null || output.isBlank()) throw new IllegalArgumentException("--output is required");
    if (tokenizer == null || tokenizer.isBlank()) throw new IllegalArgumentException("--tokenizer is required");
    settings = new TreeMap<>(settings);
  }

  public static RunOptions of(String input, String output, String tokenizer, Map<String, String> settings) {
    return new RunOptions(input, output, tokenizer, new TreeMap<>(settings), false, 0);
  }
}
