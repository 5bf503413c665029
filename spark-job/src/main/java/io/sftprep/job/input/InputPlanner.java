package io.sftprep.job.input;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Resolves {@code --input} (comma-separated files, folders or globs on any Hadoop file system) into a sorted list
 * of files, and cuts uncompressed JSONL files into byte splits so one big file still uses every core.
 */
public final class InputPlanner {
  private InputPlanner() {}

  public static List<InputFile> listFiles(String spec, Configuration conf) throws IOException {
    TreeMap<String, FileStatus> found = new TreeMap<>();
    for (String part : spec.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) continue;
      Path path = new Path(p);
      FileSystem fs = path.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null || matches.length == 0) {
        throw new IOException("input " + p + " matches no file");
      }
      for (FileStatus st : matches) collect(fs, st, found);
    }
    if (found.isEmpty()) throw new IOException("input " + spec + " holds no file");
    String common = commonFolder(new ArrayList<>(found.keySet()));
    List<InputFile> out = new ArrayList<>();
    for (FileStatus st : found.values()) {
      String uri = st.getPath().toString();
      String name = uri.startsWith(common) ? uri.substring(common.length()) : st.getPath().getName();
      out.add(InputFile.of(uri, name, st.getLen(), st.getModificationTime()));
    }
    return out;
  }

  private static void collect(FileSystem fs, FileStatus st, TreeMap<String, FileStatus> out) throws IOException {
    String name = st.getPath().getName();
    if (st.isDirectory()) {
      for (FileStatus c : fs.listStatus(st.getPath())) {
        String n = c.getPath().getName();
        if (n.startsWith("_") || n.startsWith(".")) continue;
        collect(fs, c, out);
      }
    } else if (!name.startsWith(".") && !name.startsWith("_")) {
      out.put(st.getPath().toString(), st);
    }
  }

  /** The longest folder prefix (ending in '/') shared by all URIs. */
  static String commonFolder(List<String> uris) {
    if (uris.size() == 1) {
      String u = uris.get(0);
      return u.substring(0, u.lastIndexOf('/') + 1);
    }
    String prefix = uris.get(0);
    for (String u : uris) {
      int i = 0;
      while (i < prefix.length() && i < u.length() && prefix.charAt(i) == u.charAt(i)) i++;
      prefix = prefix.substring(0, i);
    }
    return prefix.substring(0, prefix.lastIndexOf('/') + 1);
  }

  public static List<InputSplit> split(List<InputFile> files, long splitBytes) {
    List<InputSplit> out = new ArrayList<>();
    for (int f = 0; f < files.size(); f++) {
      InputFile file = files.get(f);
      if (!file.splittable() || file.size() <= splitBytes) {
        out.add(new InputSplit(f, file, 0, 0, Math.max(file.size(), 0), 1));
        continue;
      }
      int idx = 0;
      for (long s = 0; s < file.size(); s += splitBytes) {
        out.add(new InputSplit(f, file, idx++, s, Math.min(file.size(), s + splitBytes), 0));
      }
    }
    return out;
  }
}
