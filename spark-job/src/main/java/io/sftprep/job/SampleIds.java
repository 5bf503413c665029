package io.sftprep.job;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Stable sample ids: the first 8 bytes (big-endian, sign bit cleared) of
 * SHA-256({@code "<file name>\n<line>\n<part>\n<chunk>"}), where the file name is relative to the inputs' common
 * folder. Independent of cores, partitions and executors, so shard placement and order are too.
 */
public final class SampleIds {
  private static final ThreadLocal<MessageDigest> SHA = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  private SampleIds() {}

  public static long of(String file, long line, int part, int chunk) {
    MessageDigest md = SHA.get();
    md.reset();
    byte[] d = md.digest((file + "\n" + line + "\n" + part + "\n" + chunk).getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(d, 0, 8).getLong() & Long.MAX_VALUE;
  }

  public static int shard(long sampleId, int numShards) {
    return (int) (sampleId % numShards);
  }
}
