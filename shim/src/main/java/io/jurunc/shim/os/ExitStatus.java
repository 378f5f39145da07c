package io.jurunc.shim.os;

import io.jurunc.libc.Processes;
import java.time.Instant;
import java.util.Objects;

/**
 * How a process ended, as containerd reports it: the exit code, or 128 + signal when it was killed.
 */
public record ExitStatus(int status, Instant exitedAt) {
    public ExitStatus {
        if (status < 0 || status > 255) {
            throw new IllegalArgumentException("exit status out of range: " + status);
        }
        Objects.requireNonNull(exitedAt, "exitedAt");
    }

    /** From waitid's si_code/si_status: CLD_EXITED carries the code, CLD_KILLED/CLD_DUMPED the signal. */
    public static ExitStatus fromSiginfo(int siCode, int siStatus, Instant at) {
        return new ExitStatus(siCode == Processes.CLD_EXITED ? siStatus & 0xff : (128 + siStatus) & 0xff, at);
    }
}
