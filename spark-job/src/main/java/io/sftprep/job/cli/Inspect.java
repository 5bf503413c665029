package io.sftprep.job.cli;

import io.sftprep.core.json.Json;
import io.sftprep.core.tokenize.HfTokenizer;
import io.sftprep.job.Executors;
import io.sftprep.job.write.Publisher;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * {@code sftprep inspect DIR}: the manifest summary of the version {@code DIR/_LATEST} names (or of DIR itself
 * when it is a version folder), and one packed row decoded back to text with trained tokens highlighted and
 * sample boundaries marked.
 */
final class Inspect {
  private Inspect() {}

  @SuppressWarnings("unchecked")
  static int run(String[] argv) throws Exception {
    Args a = Args.parse(argv, Set.of("no-color"), Set.of("row", "tokenizer"));
    if (a.positional.size() != 1) throw new IllegalArgumentException("usage: sftprep inspect DIR [--row N]");
    Configuration conf = new Configuration();
    String dir = a.positional.get(0);
    Publisher pub = new Publisher(dir, conf);
    String latest = pub.latest();
    Path version = latest != null ? pub.versionDir(latest) : new Path(dir);
    Map<String, Object> m;
    Path mf = new Path(version, "_manifest.json");
    try (InputStream in = mf.getFileSystem(conf).open(mf)) {
      m = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    Map<String, Object> totals = (Map<String, Object>) m.get("totals");
    Map<String, Object> packing = (Map<String, Object>) m.get("packing");
    Map<String, Object> tok = (Map<String, Object>) m.get("tokenizer");
    out.printf("version %s (schema %s, sftprep %s) at %s%n", m.get("version"), m.get("schema_version"),
        m.get("sftprep_version"), version);
    out.printf("records %s, written %s, rejected %s %s%n", totals.get("records"), totals.get("written"),
        totals.get("rejected"), totals.get("rejected_by_reason"));
    out.printf("samples %s, tokens %s, trained tokens %s%n", totals.get("samples"), totals.get("tokens"),
        totals.get("trained_tokens"));
    out.printf("rows %s x %s (%s), fill %s%n", packing.get("rows"), packing.get("seq_length"),
        packing.get("strategy"), packing.get("fill"));
    out.printf("tokenizer %s (sha256 %s), end of turn %s%n", tok.get("uri"), tok.get("tokenizer_json_sha256"),
        tok.get("end_of_turn"));
    List<Object> shards = (List<Object>) m.get("shards");
    out.printf("%d shard(s), inputs: %d file(s)%n", shards.size(), ((List<Object>) m.get("inputs")).size());
    long want = a.get("row") == null ? 0 : Long.parseLong(a.get("row"));
    String tokUri = a.get("tokenizer") != null ? a.get("tokenizer") : (String) tok.get("uri");
    for (Object o : shards) {
      Map<String, Object> s = (Map<String, Object>) o;
      long rows = ((Number) s.get("rows")).longValue();
      if (want >= rows) {
        want -= rows;
        continue;
      }
      Path file = new Path(version, (String) s.get("file"));
      try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build();
          HfTokenizer t = HfTokenizer.open(Executors.localTokenizer(tokUri, conf))) {
        Group g = null;
        for (long i = 0; i <= want; i++) g = reader.read();
        int[] ids = ints(g, "input_ids");
        int[] labels = ints(g, "labels");
        int[] lens = ints(g, "seq_lens");
        out.printf("%n%s row %d: %d tokens, %d samples %s%n", s.get("file"), want, ids.length, lens.length,
            java.util.Arrays.toString(lens));
        boolean color = !a.has("no-color") && System.getenv("NO_COLOR") == null;
        int at = 0;
        for (int k = 0; k < lens.length; k++) {
          out.printf("--- sample %d (%d tokens) ---%n", k, lens[k]);
          out.println(Preview.highlight(java.util.Arrays.copyOfRange(ids, at, at + lens[k]),
              java.util.Arrays.copyOfRange(labels, at, at + lens[k]), t, color));
          at += lens[k];
        }
      }
      break;
    }
    out.flush();
    return 0;
  }

  static int[] ints(Group g, String field) {
    Group list = g.getGroup(field, 0);
    int n = list.getFieldRepetitionCount("list");
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = list.getGroup("list", i).getInteger("element", 0);
    return out;
  }
}
