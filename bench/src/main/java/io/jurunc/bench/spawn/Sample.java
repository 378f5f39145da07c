package io.jurunc.bench.spawn;

import java.util.Objects;

/**
 * One run of one subject, as {@code scripts/bench-spawn.sh} records it in {@code samples.tsv}.
 *
 * @param t0Ns unix time just before {@code ctr run} (or QEMU) started
 * @param t1Ns unix time of the first HTTP answer (0 when there was none)
 * @param sandboxPssKb summed PSS of the sandbox's processes (the shim's descendants; bare QEMU itself)
 * @param shimPssKb PSS of the sandbox's shim (0 for bare QEMU)
 * @param qemuRssKb RSS of the QEMU processes among them (0 without QEMU)
 * @param qemuGuestRamRssKb the part of that RSS in the guest-RAM mapping
 * @param qemuTcgRssKb the part of that RSS in TCG's code cache (0 with KVM)
 * @param status {@code ok}, or why the run has no answer ({@code exited}, {@code timeout})
 */
public record Sample(
        String subject,
        int run,
        String id,
        long t0Ns,
        long t1Ns,
        long sandboxPssKb,
        long shimPssKb,
        long qemuRssKb,
        long qemuGuestRamRssKb,
        long qemuTcgRssKb,
        String status) {

    public Sample {
        Objects.requireNonNull(subject);
        Objects.requireNonNull(id);
        Objects.requireNonNull(status);
        if (status.equals("ok") && t1Ns < t0Ns) {
            throw new IllegalArgumentException("run " + id + " answered before it started");
        }
    }

    public boolean ok() {
        return status.equals("ok");
    }

    /** Milliseconds from start to the first answer. */
    public double spawnMs() {
        return (t1Ns - t0Ns) / 1e6;
    }

    /** Host memory the sandbox costs: its processes and its shim. */
    public long hostPssKb() {
        return sandboxPssKb + shimPssKb;
    }

    /** QEMU's RSS outside the guest-RAM mapping (its own code, heap, TCG buffers). */
    public long monitorBeyondGuestRamKb() {
        return qemuRssKb - qemuGuestRamRssKb;
    }
}
