package io.sftprep.job.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs one benchmark route as a child process and watches it from outside: wall time from start to exit, peak
 * resident memory of the child itself (its high-water mark {@code VmHWM}, as the kernel keeps it), peak
 * proportional set size of its whole process tree ({@code Pss} summed over the tree every 500 ms: a page shared by
 * forked workers counts once, so it covers the Python route's workers and is not inflated by a JVM that forks a
 * helper for a moment, as Hadoop's local file system does; a sum of {@code VmRSS} is), and CPU seconds of the tree
 * (its own, its live
 * descendants', and the waited-for children's), and the root's CPU seconds by thread group (JIT compiler, GC,
 * Spark task threads, main, other; from {@code /proc/PID/task}, every 500 ms). Linux {@code /proc} only; elsewhere
 * the figures are 0.
 */
final class ProcessWatch {
  /** What a finished child cost. */
  record Usage(int exitCode, double wallSeconds, long peakRssBytes, long peakPssBytes, double cpuSeconds,
      Map<String, Double> cpuByThreads) {}

  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

  private ProcessWatch() {}

  /** Starts {@code command} with output to {@code log}, waits for it, and reports what it cost. */
  static Usage run(List<String> command, Map<String, String> env, Path log) throws IOException,
      InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    long peakRss = 0;
    long peakPss = 0;
    double cpu = 0;
    int polls = 0;
    Map<Long, Long> threadTicks = new HashMap<>();
    Map<Long, String> threadGroup = new HashMap<>();
    while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
      List<Long> tree = new ArrayList<>();
      tree.add(p.pid());
      p.descendants().forEach(h -> tree.add(h.pid()));
      long pss = 0;
      boolean pssPoll = polls++ % 5 == 0;
      if (pssPoll) threads(p.pid(), threadTicks, threadGroup);
      double ticks = 0;
      for (long pid : tree) {
        if (pssPoll) pss += rollupKb(pid, "Pss:") * 1024;
        ticks += cpuTicks(pid, pid == p.pid());
      }
      peakRss = Math.max(peakRss, statusKb(p.pid(), "VmHWM:") * 1024);
      peakPss = Math.max(peakPss, pss);
      cpu = Math.max(cpu, ticks / TICKS_PER_SECOND);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    Map<String, Double> byGroup = new TreeMap<>();
    threadTicks.forEach((tid, t) -> byGroup.merge(threadGroup.get(tid), (double) t / TICKS_PER_SECOND, Double::sum));
    return new Usage(p.exitValue(), wall, peakRss, peakPss, cpu, byGroup);
  }

  /** Records the CPU ticks of each thread of {@code pid} (the highest seen, as a thread may exit) and its group. */
  private static void threads(long pid, Map<Long, Long> ticks, Map<Long, String> group) {
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Paths.get("/proc", Long.toString(pid), "task"))) {
      for (Path t : tasks) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long tid = Long.parseLong(t.getFileName().toString());
          ticks.merge(tid, Long.parseLong(f[11]) + Long.parseLong(f[12]), Math::max);
          group.put(tid, groupOf(comm));
        } catch (IOException | RuntimeException e) {
          // the thread exited
        }
      }
    } catch (IOException e) {
      // the process exited
    }
  }

  /** A JVM thread's group from its (15-character) name. */
  static String groupOf(String comm) {
    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) return "JIT compiler";
    if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("VM Thread")) return "GC and VM";
    if (comm.startsWith("Executor task")) return "Spark task threads";
    if (comm.equals("java") || comm.equals("main")) return "main";
    return "other";
  }

  /** A {@code kB} field of {@code /proc/PID/status}, 0 when unreadable (the process is gone). */
  private static long statusKb(long pid, String field) {
    return kb(Paths.get("/proc", Long.toString(pid), "status"), field);
  }

  private static long rollupKb(long pid, String field) {
    return kb(Paths.get("/proc", Long.toString(pid), "smaps_rollup"), field);
  }

  private static long kb(Path file, String field) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process exited between listing and reading
    }
    return 0;
  }

  /** utime + stime (+ cutime + cstime for the root, which waits for its children) from {@code /proc/PID/stat}. */
  private static long cpuTicks(long pid, boolean withChildren) {
    try {
      String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ", field 3 (state) is f[0]; utime is field 14 -> f[11]
      long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      if (withChildren) t += Long.parseLong(f[13]) + Long.parseLong(f[14]);
      return t;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
