package io.sftprep.core.pipeline;

/** A record (or one conversation of it, {@code part}) that produced no sample, and why. */
public record Rejection(int part, Reason reason, String detail) {}
