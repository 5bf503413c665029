package io.sftprep.core.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the YAML subset a config file needs into flat dotted keys: nested mappings by indentation, scalars
 * (plain or quoted), and lists (block {@code - item} or flow {@code [a, b]}) joined with commas.
 *
 * <pre>{@code
 * mask:
 *   policy: roles        ->  mask.policy=roles
 *   roles: [user, assistant]  ->  mask.roles=user,assistant
 * }</pre>
 */
final class SimpleYaml {
  private SimpleYaml() {}

  static Map<String, String> flatten(String text, String fileName) {
    Map<String, String> out = new LinkedHashMap<>();
    Deque<int[]> indents = new ArrayDeque<>(); // indent of each open section
    Deque<String> names = new ArrayDeque<>();
    String listKey = null;
    List<String> listItems = null;
    int lineNo = 0;
    for (String raw : text.split("\r?\n", -1)) {
      lineNo++;
      String line = stripComment(raw);
      if (line.isBlank()) continue;
      int indent = 0;
      while (indent < line.length() && line.charAt(indent) == ' ') indent++;
      String t = line.strip();
      if (t.startsWith("- ") || t.equals("-")) {
        if (listKey == null) throw new IllegalArgumentException(fileName + ":" + lineNo + ": list item without a key");
        listItems.add(unquote(t.substring(1).strip()));
        continue;
      }
      if (listKey != null) {
        out.put(listKey, String.join(",", listItems));
        listKey = null;
      }
      while (!indents.isEmpty() && indent <= indents.peek()[0]) {
        indents.pop();
        names.pop();
      }
      int colon = t.indexOf(':');
      if (colon <= 0) throw new IllegalArgumentException(fileName + ":" + lineNo + ": expected key: value, found '" + t + "'");
      String key = t.substring(0, colon).strip();
      String value = t.substring(colon + 1).strip();
      String full = names.isEmpty() ? key : String.join(".", reversed(names)) + "." + key;
      if (value.isEmpty()) {
        indents.push(new int[] {indent});
        names.push(key);
        listKey = full;
        listItems = new ArrayList<>();
        continue;
      }
      if (value.startsWith("[") && value.endsWith("]")) {
        List<String> items = new ArrayList<>();
        for (String p : value.substring(1, value.length() - 1).split(",")) {
          if (!p.isBlank()) items.add(unquote(p.strip()));
        }
        out.put(full, String.join(",", items));
      } else {
        out.put(full, unquote(value));
      }
    }
    if (listKey != null && !listItems.isEmpty()) out.put(listKey, String.join(",", listItems));
    return out;
  }

  private static List<String> reversed(Deque<String> d) {
    List<String> l = new ArrayList<>(d);
    java.util.Collections.reverse(l);
    return l;
  }

  private static String stripComment(String s) {
    boolean single = false;
    boolean dbl = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' && !dbl) single = !single;
      else if (c == '"' && !single) dbl = !dbl;
      else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
        return s.substring(0, i);
      }
    }
    return s;
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }
}
