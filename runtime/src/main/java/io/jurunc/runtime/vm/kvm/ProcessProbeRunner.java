package io.jurunc.runtime.vm.kvm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the probe as a child process with its output in a scratch file. QEMU is killed (SIGKILL)
 * at the timeout, or as soon as it prints "KVM internal error" or "KVM: entry failed": after those
 * it only spins.
 */
public final class ProcessProbeRunner implements ProbeRunner {
    static final int OUTPUT_LIMIT = 1024;
    static final long POLL_MILLIS = 20;
    static final List<String> KVM_FAILURES = List.of("KVM internal error", "KVM: entry failed");

    private final Path scratchDir;

    public ProcessProbeRunner(Path scratchDir) {
        this.scratchDir = scratchDir;
    }

    @Override
    public Outcome run(List<String> argv, Duration timeout) throws IOException {
        Files.createDirectories(scratchDir);
        Path out = Files.createTempFile(scratchDir, "kvm-probe", ".out");
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        try {
            Process p = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            try {
                while (true) {
                    long left = deadline - System.nanoTime();
                    if (p.waitFor(
                            Math.min(POLL_MILLIS, Math.max(0, TimeUnit.NANOSECONDS.toMillis(left))),
                            TimeUnit.MILLISECONDS)) {
                        return new Outcome(false, p.exitValue(), head(out), since(start), false);
                    }
                    String soFar = head(out);
                    if (KVM_FAILURES.stream().anyMatch(soFar::contains)) {
                        kill(p);
                        return new Outcome(false, -1, soFar, since(start), true);
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        kill(p);
                        return new Outcome(true, -1, head(out), since(start), false);
                    }
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while probing KVM", e);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor();
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static String head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(OUTPUT_LIMIT), StandardCharsets.UTF_8).strip();
        }
    }
}
