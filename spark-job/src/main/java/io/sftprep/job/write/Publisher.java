package io.sftprep.job.write;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The output folder's layout and its atomic publish. A run writes under {@code DIR/_staging/<run-id>/}, then
 * renames that folder to {@code DIR/<version>/}, and only then rewrites the pointer file {@code DIR/_LATEST}
 * (written to a temporary file and renamed over). A reader that follows {@code _LATEST} sees a whole version or
 * the previous one, never a partial one; a killed run leaves only a staging folder, which the next run removes.
 */
public final class Publisher {
  public static final String LATEST = "_LATEST";
  public static final String STAGING = "_staging";

  private final Path root;
  private final FileSystem fs;

  public Publisher(String output, Configuration conf) throws IOException {
    this.root = new Path(output);
    this.fs = root.getFileSystem(conf);
    fs.setWriteChecksum(false); // no .crc side files in the published folders
  }

  public Path root() {
    return root;
  }

  public FileSystem fs() {
    return fs;
  }

  /** The version {@code _LATEST} points to, or null. */
  public String latest() throws IOException {
    Path p = new Path(root, LATEST);
    if (!fs.exists(p)) return null;
    try (InputStream in = fs.open(p)) {
      String v = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return v.isEmpty() ? null : v;
    }
  }

  public Path versionDir(String version) {
    return new Path(root, version);
  }

  /** Removes staging folders left by runs that did not finish; returns how many. */
  public int cleanStaging() throws IOException {
    Path staging = new Path(root, STAGING);
    if (!fs.exists(staging)) return 0;
    int n = 0;
    for (FileStatus st : fs.listStatus(staging)) {
      fs.delete(st.getPath(), true);
      n++;
    }
    return n;
  }

  public Path newStaging(String runId) throws IOException {
    Path p = new Path(new Path(root, STAGING), runId);
    fs.mkdirs(p);
    return p;
  }

  /** Moves a finished staging folder to {@code DIR/<version>}; moves {@code _LATEST} to it when asked. */
  public Path publish(Path staging, String version, boolean pointLatest) throws IOException {
    Path dest = versionDir(version);
    if (fs.exists(dest)) throw new IOException("version folder " + dest + " already exists");
    if (!fs.rename(staging, dest)) throw new IOException("cannot rename " + staging + " to " + dest);
    if (pointLatest) writeLatest(version);
    return dest;
  }

  public void writeLatest(String version) throws IOException {
    Path tmp = new Path(root, "." + LATEST + ".tmp-" + java.util.UUID.randomUUID());
    try (OutputStream out = fs.create(tmp, true)) {
      out.write((version + "\n").getBytes(StandardCharsets.UTF_8));
    }
    Path latest = new Path(root, LATEST);
    // rename-over is atomic on HDFS and POSIX file systems; elsewhere the delete leaves a short window
    if (!fs.rename(tmp, latest)) {
      fs.delete(latest, false);
      if (!fs.rename(tmp, latest)) throw new IOException("cannot move " + tmp + " to " + latest);
    }
  }

  /** Published version folders, oldest first (names sort by time). */
  public List<String> versions() throws IOException {
    List<String> out = new ArrayList<>();
    if (!fs.exists(root)) return out;
    for (FileStatus st : fs.listStatus(root)) {
      String n = st.getPath().getName();
      if (st.isDirectory() && n.startsWith("v") && fs.exists(new Path(st.getPath(), "_manifest.json"))) out.add(n);
    }
    out.sort(null);
    return out;
  }

  /** Deletes all but the newest {@code keep} versions, never the one {@code _LATEST} names. */
  public List<String> prune(int keep) throws IOException {
    List<String> removed = new ArrayList<>();
    if (keep <= 0) return removed;
    List<String> all = versions();
    String latest = latest();
    for (int i = 0; i < all.size() - keep; i++) {
      if (all.get(i).equals(latest)) continue;
      fs.delete(versionDir(all.get(i)), true);
      removed.add(all.get(i));
    }
    return removed;
  }
}
