package io.jurunc.vaccel;

import io.jurunc.vaccel.prof.Profiler;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What the core hands a plugin at {@code init}: the configuration (and environment) to read settings
 * from, the log, the global profiler, and the rundir (created on first use).
 */
public record PluginContext(VaccelConfig config, VaccelLog log, Profiler profiler, Supplier<Path> rundir) {}
