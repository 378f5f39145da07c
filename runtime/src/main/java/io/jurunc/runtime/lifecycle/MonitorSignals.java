package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.host.Host;
import java.util.Set;

/**
 * Which signal {@code kill} delivers to a monitor. A monitor that is the init (pid 1) of its own pid
 * namespace only receives, from the host, the signals it has a handler for, plus SIGKILL and SIGSTOP
 * (the kernel's rule for a namespace's init). QEMU handles SIGTERM, SIGINT and SIGHUP; the Solo5 spt
 * tender installs no handler at all (its seccomp filter allows none). A VM has no other process that
 * could react, so a signal whose default action ends a process and that the monitor would drop is
 * delivered as SIGKILL: the VM stops as it did in the host's namespace, instead of a SIGTERM that
 * silently does nothing. Every other signal goes as asked (and may be dropped, as runc's pid 1 would).
 * See docs/security.md.
 */
final class MonitorSignals {
    static final int SIGKILL = 9;

    /** Signals whose default action terminates the process (with or without a core), x86-64/arm64 numbers. */
    private static final Set<Integer> TERMINATING =
            Set.of(1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 24, 25, 26, 27, 29, 30, 31);

    private static final int SIGRTMIN = 32; // the kernel's; glibc keeps 32 and 33 for itself
    private static final int SIGRTMAX = 64;

    private MonitorSignals() {}

    /** The signal to send to {@code pid}, from its {@code /proc/<pid>/status} as the host shows it. */
    static int delivered(Host host, long pid, int signal) {
        if (!terminating(signal)) return signal;
        return host.status(pid)
                .map(status -> delivered(signal, status))
                .orElse(signal); // gone: kill reports that itself
    }

    /** The rule on a {@code /proc/<pid>/status} text. */
    static int delivered(int signal, String status) {
        if (!terminating(signal) || !namespaceInit(status)) return signal;
        long caught = hexField(status, "SigCgt");
        return (caught & (1L << (signal - 1))) != 0 ? signal : SIGKILL;
    }

    static boolean terminating(int signal) {
        return TERMINATING.contains(signal) || (signal >= SIGRTMIN && signal <= SIGRTMAX);
    }

    /** {@code NSpid} lists the pid in each namespace, outermost first: several entries, the last 1. */
    static boolean namespaceInit(String status) {
        String nspid = field(status, "NSpid");
        if (nspid == null) return false;
        String[] pids = nspid.trim().split("\\s+");
        return pids.length > 1 && pids[pids.length - 1].equals("1");
    }

    private static long hexField(String status, String name) {
        String v = field(status, name);
        try {
            return v == null ? 0 : Long.parseUnsignedLong(v.trim(), 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name + ":")) return line.substring(name.length() + 1);
        }
        return null;
    }
}
