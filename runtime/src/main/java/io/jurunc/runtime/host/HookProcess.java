package io.jurunc.runtime.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one OCI hook as a child of this JVM, as runc does: the given argv and environment only, the
 * state JSON on stdin, stdout and stderr collected for the error message, SIGKILL at the timeout.
 *
 * <p>{@link ProcessBuilder} always uses the executable's name as argv0. A hook whose {@code args[0]}
 * differs from its {@code path} (Docker's {@code /proc/<dockerd>/exe} with argv0 {@code
 * libnetwork-setkey}, which dockerd dispatches on) is started through the static sandbox helper's
 * {@code jurunc-exec PATH ARGV0 ARGS...}, which only execs (no interpreter, nothing added to the
 * environment).
 */
final class HookProcess {
    private static final int OUTPUT_LIMIT = 4096;

    private HookProcess() {}

    /** The command line ProcessBuilder gets for this hook. */
    static List<String> command(Optional<Path> execHelper, Path path, List<String> args) throws HostException {
        String exe = path.toString();
        if (args.isEmpty() || args.getFirst().equals(exe)) {
            List<String> cmd = new ArrayList<>(args.isEmpty() ? List.of(exe) : args);
            return List.copyOf(cmd);
        }
        if (execHelper.isEmpty()) {
            throw new HostException("hook " + path + " wants argv0 '" + args.getFirst() + "', which needs the sandbox"
                    + " helper (set [sandbox] helper, or run jurunc through its launcher)");
        }
        List<String> cmd = new ArrayList<>(List.of(execHelper.get().toString(), "jurunc-exec", exe));
        cmd.addAll(args);
        return List.copyOf(cmd);
    }

    static HookExit run(
            Optional<Path> execHelper,
            Path path,
            List<String> args,
            List<String> env,
            byte[] stdin,
            Optional<Duration> timeout)
            throws HostException {
        ProcessBuilder pb = new ProcessBuilder(command(execHelper, path, args));
        Map<String, String> e = pb.environment();
        e.clear();
        for (String kv : env) {
            int eq = kv.indexOf('=');
            if (eq > 0) e.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        pb.redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException ex) {
            throw new HostException("cannot execute hook " + path + ": " + ex.getMessage(), ex);
        }
        Thread feeder = Thread.ofVirtual().start(() -> feed(p.getOutputStream(), stdin));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> drain(p.getInputStream(), out));
        boolean timedOut = false;
        try {
            if (timeout.isPresent()) {
                if (!p.waitFor(timeout.get().toNanos(), TimeUnit.NANOSECONDS)) {
                    timedOut = true;
                    p.destroyForcibly();
                    p.waitFor();
                }
            } else {
                p.waitFor();
            }
            // A hook that left a child holding its stdout must not hold us: what arrived within 1 s is enough.
            reader.join(Duration.ofSeconds(1));
            feeder.join(Duration.ofSeconds(1));
        } catch (InterruptedException ex) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HostException("interrupted while running hook " + path, ex);
        }
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8).strip();
        }
        return new HookExit(timedOut ? -1 : p.exitValue(), timedOut, text);
    }

    private static void feed(OutputStream in, byte[] stdin) {
        try (in) {
            in.write(stdin);
        } catch (IOException ignored) {
            // the hook need not read its stdin (EPIPE)
        }
    }

    private static void drain(InputStream from, ByteArrayOutputStream to) {
        byte[] buf = new byte[4096];
        try (from) {
            int n;
            while ((n = from.read(buf)) >= 0) {
                synchronized (to) {
                    if (to.size() < OUTPUT_LIMIT) to.write(buf, 0, Math.min(n, OUTPUT_LIMIT - to.size()));
                }
            }
        } catch (IOException ignored) {
            // the stream closed under us: keep what we have
        }
    }
}
