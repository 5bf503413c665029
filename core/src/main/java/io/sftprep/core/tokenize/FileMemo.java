package io.sftprep.core.tokenize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values read from files once per JVM and shared by every thread: a tokenizer folder's {@link ModelFiles} and
 * {@link TokenLengths} take seconds to parse out of an 11 MB {@code tokenizer.json} on a cold JVM, and the driver
 * and each task thread would otherwise parse it again. A value is read again when any of its files changes size or
 * modification time (or appears or disappears). Values must be immutable; null is a value.
 */
final class FileMemo<V> {
  /** Reads the value from the files. */
  interface Loader<V> {
    V load() throws IOException;
  }

  private final ConcurrentHashMap<List<Object>, Optional<V>> values = new ConcurrentHashMap<>();

  V get(List<Path> files, Loader<V> loader) throws IOException {
    List<Object> key = new ArrayList<>();
    for (Path f : files) {
      Path p = f.toAbsolutePath().normalize();
      key.add(p.toString());
      if (Files.exists(p)) {
        key.add(Files.size(p));
        key.add(Files.getLastModifiedTime(p).toMillis());
      } else {
        key.add("absent");
      }
    }
    try {
      return values.computeIfAbsent(key, k -> {
        try {
          return Optional.ofNullable(loader.load());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).orElse(null);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
