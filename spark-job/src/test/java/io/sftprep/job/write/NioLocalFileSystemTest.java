package io.sftprep.job.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files and folders made through it get exactly the permissions the stock local file system gives them. */
class NioLocalFileSystemTest {
  @TempDir java.nio.file.Path tmp;

  static FileSystem fs(String impl) throws Exception {
    Configuration c = new Configuration();
    c.set("fs.file.impl", impl);
    c.setBoolean("fs.file.impl.disable.cache", true);
    return new Path("file:///").getFileSystem(c);
  }

  static String perms(java.nio.file.Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void sameModesAsTheStockFileSystem() throws Exception {
    FileSystem nio = fs(NioLocalFileSystem.class.getName());
    FileSystem stock = fs(LocalFileSystem.class.getName());
    assertInstanceOf(NioLocalFileSystem.class, nio);
    for (FileSystem f : List.of(nio, stock)) {
      java.nio.file.Path root = tmp.resolve(f == nio ? "nio" : "stock");
      try (FSDataOutputStream o = f.create(new Path(root.resolve("a/b/default.txt").toUri()))) {
        o.write(1);
      }
      f.mkdirs(new Path(root.resolve("dir").toUri()));
      for (String mode : List.of("600", "640", "644", "700", "750", "755", "777", "000", "1777")) {
        Path p = new Path(root.resolve("m" + mode).toUri());
        try (FSDataOutputStream o = f.create(p)) {
          o.write(1);
        }
        f.setPermission(p, new FsPermission(mode));
      }
    }
    java.nio.file.Path n = tmp.resolve("nio");
    java.nio.file.Path s = tmp.resolve("stock");
    assertEquals("rw-r--r--", perms(s.resolve("a/b/default.txt")), "umask 022 on the stock one");
    for (String rel : List.of("a", "a/b", "a/b/default.txt", "dir", "m600", "m640", "m644", "m700", "m750", "m755",
        "m777", "m000", "m1777")) {
      assertEquals(perms(s.resolve(rel)), perms(n.resolve(rel)), rel);
    }
  }

  /** The table nio sets; null where it cannot (the sticky bit goes the stock way). */
  @Test
  void posixTable() {
    assertEquals("rw-r--r--", PosixFilePermissions.toString(NioLocalFileSystem.posix(new FsPermission("644"))));
    assertEquals("rwxr-x---", PosixFilePermissions.toString(NioLocalFileSystem.posix(new FsPermission("750"))));
    assertEquals("-w---x-wx", PosixFilePermissions.toString(NioLocalFileSystem.posix(new FsPermission("213"))));
    assertEquals("---------", PosixFilePermissions.toString(NioLocalFileSystem.posix(new FsPermission("000"))));
    assertNull(NioLocalFileSystem.posix(new FsPermission("1777")));
  }
}
