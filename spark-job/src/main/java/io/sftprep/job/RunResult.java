package io.sftprep.job;

import io.sftprep.core.stats.FileStats;

/**
 * How a run ended: the published version (or the latest, when nothing changed), its folder, the totals, and the
 * process exit code (0 ok; 3 too many rejects, version written but {@code _LATEST} not moved).
 */
public record RunResult(String version, String versionDir, boolean unchanged, FileStats totals, int exitCode,
    String message) {}
