package io.sftprep.job.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The Python peer runs without the allocator the launcher preloads, and with anything else preloaded. */
class BenchTest {
  static final String MI = "/lib/x86_64-linux-gnu/libmimalloc.so.2";

  @Test
  void thePythonPeerLosesOnlyTheLaunchersAllocator() {
    assertEquals("", Bench.withoutEntry(null, MI));
    assertEquals("", Bench.withoutEntry(MI, MI));
    assertEquals("/opt/libx.so", Bench.withoutEntry(MI + ":/opt/libx.so", MI));
    assertEquals("/opt/libx.so:/opt/liby.so", Bench.withoutEntry("/opt/libx.so " + MI + " /opt/liby.so", MI));
    assertEquals("/opt/libx.so", Bench.withoutEntry("/opt/libx.so", MI));
  }
}
