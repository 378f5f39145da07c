package io.jurunc.runtime.vm.kvm;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs the probe's QEMU and reports how it ended; a timeout kills it. */
public interface ProbeRunner {
    /**
     * How a probe run ended.
     *
     * @param timedOut killed because the timeout passed
     * @param exitStatus the exit status when it exited by itself, else -1
     * @param output the start of its output
     * @param elapsed wall time
     * @param stoppedOnKvmError killed early because QEMU reported a KVM failure (it would spin)
     */
    record Outcome(boolean timedOut, int exitStatus, String output, Duration elapsed, boolean stoppedOnKvmError) {
        public Outcome(boolean timedOut, int exitStatus, String output, Duration elapsed) {
            this(timedOut, exitStatus, output, elapsed, false);
        }
    }

    Outcome run(List<String> argv, Duration timeout) throws IOException;
}
