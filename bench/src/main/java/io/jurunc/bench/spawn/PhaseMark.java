package io.jurunc.bench.spawn;

/** One jurunc timestamp record: {@code {"containerID":..,"phase":..,"time":<unix ns>}}. */
public record PhaseMark(String containerId, String phase, long timeNs) {}
