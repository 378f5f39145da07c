package io.jurunc.vaccel.prof;

/** One timed entry of a profiling region: start and duration, in nanoseconds of a monotonic clock. */
public record Sample(long start, long time) {}
