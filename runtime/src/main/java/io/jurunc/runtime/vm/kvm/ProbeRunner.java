package io.jurunc.runtime.vm.kvm;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs the probe's QEMU and reports how it ended; a timeout kills it. */
public interface ProbeRunner {
  /** How a probe run ended: exit status (when it exited), timeout, and the start of its output. */
  record Outcome(boolean timedOut, int exitStatus, String output, Duration elapsed) {}

  Outcome run(List<String> argv, Duration timeout) throws IOException;
}
