package io.sftprep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar holds sftprep and what Spark lacks, nothing Spark ships: DJL and JNA under their own names, the
 * tokenizer natives for linux x86_64 and aarch64 only, gson and jackson-core relocated under
 * {@code io.sftprep.shaded}, and {@code Main} as its main class.
 */
class ShadedJarIT {
  static List<String> entries() throws Exception {
    String p = System.getProperty("sftprep.shaded.jar");
    Assumptions.assumeTrue(p != null, "skipped: sftprep.shaded.jar is not set; run this test with mvn verify");
    Path jar = Paths.get(p);
    assertTrue(Files.exists(jar), "no shaded jar at " + jar);
    List<String> names = new ArrayList<>();
    try (JarFile f = new JarFile(jar.toFile())) {
      assertEquals("io.sftprep.job.cli.Main", f.getManifest().getMainAttributes().getValue("Main-Class"));
      for (ZipEntry e : java.util.Collections.list(f.entries())) names.add(e.getName());
    }
    return names;
  }

  @Test
  void holdsSftprepDjlJnaAndRelocatedGsonAndJackson() throws Exception {
    List<String> names = entries();
    for (String want : List.of("io/sftprep/job/cli/Main.class", "io/sftprep/core/pipeline/Preprocessor.class",
        "io/sftprep/udfs/SftTokenize.class", "ai/djl/huggingface/tokenizers/HuggingFaceTokenizer.class",
        "com/sun/jna/Native.class", "io/sftprep/shaded/gson/Gson.class",
        "io/sftprep/shaded/jackson/core/JsonFactory.class", "native/lib/tokenizers.properties",
        "native/lib/linux-x86_64/cpu/libtokenizers.so", "native/lib/linux-aarch64/cpu/libtokenizers.so",
        "META-INF/services/io.sftprep.shaded.jackson.core.JsonFactory")) {
      assertTrue(names.contains(want), "the shaded jar lacks " + want);
    }
  }

  @Test
  void holdsNothingSparkShipsNorOtherPlatformsNatives() throws Exception {
    List<String> unwanted = new ArrayList<>();
    for (String n : entries()) {
      if (n.startsWith("org/apache/") || n.startsWith("scala/") || n.startsWith("org/slf4j/")
          || n.startsWith("com/fasterxml/") || n.startsWith("com/google/") || n.startsWith("io/netty/")
          || n.startsWith("com/github/luben/") || n.startsWith("org/xerial/") || n.startsWith("META-INF/versions/")
          || n.startsWith("native/lib/osx-") || n.startsWith("native/lib/win-") || n.endsWith("module-info.class")) {
        unwanted.add(n);
      }
    }
    assertEquals(List.of(), unwanted.subList(0, Math.min(20, unwanted.size())));
  }
}
