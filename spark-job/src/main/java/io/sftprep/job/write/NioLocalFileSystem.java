package io.sftprep.job.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}), except that it sets permissions through {@code java.nio}: without
 * Hadoop's native library (the usual case outside a Hadoop install) the stock one starts a {@code chmod} process
 * for every file it creates and every folder it makes, about 20 ms each on this machine; a run writes two parts per
 * input piece plus shards, manifest and report. Permissions nio cannot express (the sticky bit, or a file system
 * without POSIX attributes) still go the stock way. The launcher's sessions use it for {@code file:} unless
 * {@code spark.hadoop.fs.file.impl} is set.
 */
public final class NioLocalFileSystem extends LocalFileSystem {
  public NioLocalFileSystem() {
    super(new Raw());
  }

  static final class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      Set<PosixFilePermission> posix = posix(permission);
      if (posix != null) {
        try {
          Files.setPosixFilePermissions(pathToFile(p).toPath(), posix);
          return;
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: the stock way below
        }
      }
      super.setPermission(p, permission);
    }
  }

  /** The nio permissions of {@code p}, or null when it has bits nio cannot set (sticky). */
  static Set<PosixFilePermission> posix(FsPermission p) {
    if (p.getStickyBit()) return null;
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    add(s, p.getUserAction(), PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_EXECUTE);
    add(s, p.getGroupAction(), PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_EXECUTE);
    add(s, p.getOtherAction(), PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_EXECUTE);
    return s;
  }

  private static void add(Set<PosixFilePermission> s, FsAction a, PosixFilePermission r, PosixFilePermission w,
      PosixFilePermission x) {
    if (a.implies(FsAction.READ)) s.add(r);
    if (a.implies(FsAction.WRITE)) s.add(w);
    if (a.implies(FsAction.EXECUTE)) s.add(x);
  }
}
