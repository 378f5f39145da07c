package io.jurunc.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs commands on this machine with {@link ProcessBuilder}; output goes through files, never pipes. */
public final class RealHost implements Host {

    @Override
    public CommandResult run(Command command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("jurunc-e2e-out-", ".txt");
            err = Files.createTempFile("jurunc-e2e-err-", ".txt");
            long t0 = System.nanoTime();
            Process p = builder(command, out, err).start();
            boolean finished = p.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                kill(p.toHandle(), Duration.ofSeconds(2));
            }
            int code = finished ? p.exitValue() : -1;
            Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
            return new CommandResult(
                    command,
                    code,
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8),
                    elapsed,
                    !finished);
        } catch (IOException e) {
            throw new HarnessException("cannot run `" + command.display() + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("interrupted while running `" + command.display() + "`", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    @Override
    public Spawned start(Command command, Path stdout, Path stderr) {
        try {
            Process p = builder(command, stdout, stderr).start();
            return new SpawnedProcess(p, stdout, stderr);
        } catch (IOException e) {
            throw new HarnessException("cannot start `" + command.display() + "`: " + e.getMessage(), e);
        }
    }

    private static ProcessBuilder builder(Command command, Path out, Path err) {
        ProcessBuilder pb = new ProcessBuilder(command.argv());
        pb.environment().putAll(command.env());
        command.workDir().ifPresent(d -> pb.directory(d.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        return pb;
    }

    static void kill(ProcessHandle process, Duration grace) {
        var descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception ignored) {
            // fall through to SIGKILL
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // reported by the caller's leftover checks
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record SpawnedProcess(Process process, Path stdoutFile, Path stderrFile) implements Spawned {

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public int waitFor(Duration limit) {
            try {
                return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        @Override
        public void stop(Duration grace) {
            if (process.isAlive()) {
                kill(process.toHandle(), grace);
            }
        }
    }
}
