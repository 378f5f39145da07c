package io.jurunc.runtime.host;

import java.util.Optional;

/** A started process: its pid, and the JVM handle when this JVM is its parent. */
public record Spawned(long pid, long startTime, Optional<Process> process) {}
