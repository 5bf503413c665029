package io.sftprep.job.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line flags: {@code --name value}, {@code --name=value}, repeatable {@code --set k=v}, and switches. */
public final class Args {
  final Map<String, String> values = new LinkedHashMap<>();
  final List<String> sets = new ArrayList<>();
  final List<String> positional = new ArrayList<>();

  public static Args parse(String[] argv, Set<String> switches, Set<String> options) {
    Args a = new Args();
    for (int i = 0; i < argv.length; i++) {
      String s = argv[i];
      if (!s.startsWith("--")) {
        a.positional.add(s);
        continue;
      }
      String name = s.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (switches.contains(name)) {
        a.values.put(name, value == null ? "true" : value);
        continue;
      }
      if (!options.contains(name) && !name.equals("set")) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
      if (value == null) {
        if (i + 1 >= argv.length) throw new IllegalArgumentException("--" + name + " needs a value");
        value = argv[++i];
      }
      if (name.equals("set")) a.sets.add(value);
      else a.values.put(name, value);
    }
    return a;
  }

  public String get(String name) {
    return values.get(name);
  }

  public String require(String name) {
    String v = values.get(name);
    if (v == null || v.isEmpty()) throw new IllegalArgumentException("--" + name + " is required");
    return v;
  }

  public boolean has(String name) {
    return "true".equals(values.get(name));
  }
}
