package io.jurunc.shim.os;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** The real {@link ShimOs}: libc through FFM, helper commands through {@link ProcessBuilder}. */
public final class LinuxShimOs implements ShimOs {
    private static final int MNT_DETACH = 2;
    private static final int EINVAL = 22;
    private static final int ENOENT = 2;
    private static final int EBUSY = 16;

    @Override
    public void becomeSubreaper() throws OsException {
        Native.Result r = Native.prctl(Native.PR_SET_CHILD_SUBREAPER, 1);
        if (r.failed()) {
            throw new OsException("prctl(PR_SET_CHILD_SUBREAPER) failed: errno " + r.errno());
        }
    }

    @Override
    public ExitStatus awaitExit(int pid) throws InterruptedException {
        int[] r = Native.waitidPid(pid);
        if (r[0] == 0) {
            return ExitStatus.fromSiginfo(r[2], r[3], Instant.now());
        }
        // Not our child (ECHILD): all we can do is watch it disappear.
        while (Files.exists(Path.of("/proc", Integer.toString(pid)))) {
            Thread.sleep(100);
        }
        return new ExitStatus(255, Instant.now());
    }

    @Override
    public boolean signal(int pid, int signal) throws OsException {
        Native.Result r = Native.kill(pid, signal);
        if (!r.failed()) {
            return true;
        }
        if (r.errno() == Native.ESRCH) {
            return false;
        }
        throw new OsException("kill(" + pid + ", " + signal + ") failed: errno " + r.errno());
    }

    @Override
    public CommandResult run(CommandSpec command) throws OsException {
        ProcessBuilder pb = new ProcessBuilder(command.argv());
        command.cwd().ifPresent(d -> pb.directory(d.toFile()));
        pb.redirectInput(command.stdin()
                .map(p -> ProcessBuilder.Redirect.from(p.toFile()))
                .orElse(ProcessBuilder.Redirect.PIPE));
        pb.redirectOutput(command.stdout()
                .map(p -> ProcessBuilder.Redirect.appendTo(p.toFile()))
                .orElse(ProcessBuilder.Redirect.PIPE));
        pb.redirectError(command.stderr()
                .map(p -> ProcessBuilder.Redirect.appendTo(p.toFile()))
                .orElse(ProcessBuilder.Redirect.PIPE));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new OsException("cannot run " + command.argv().getFirst() + ": " + e.getMessage(), e);
        }
        try {
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                in.write(command.input());
            } catch (IOException ignored) {
                // the command did not read its stdin
            }
            int code = process.waitFor();
            // A grandchild (a detached container) may still hold the pipes: do not wait for its EOF.
            return new CommandResult(code, settle(out), settle(err));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new OsException("interrupted while running " + command.argv().getFirst(), e);
        }
    }

    private static String settle(CompletableFuture<String> output) {
        try {
            return output.get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                f.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.complete("");
            }
        });
        return f;
    }

    @Override
    public int[] pipe() throws OsException {
        int[] r = Native.pipe2();
        if (r[0] < 0) {
            throw new OsException("pipe2 failed: errno " + r[1]);
        }
        return new int[] {r[2], r[3]};
    }

    @Override
    public void close(int fd) throws OsException {
        Native.Result r = Native.close(fd);
        if (r.failed()) {
            throw new OsException("close(" + fd + ") failed: errno " + r.errno());
        }
    }

    @Override
    public void mount(MountSpec mount, Path target) throws OsException {
        Native.Result r = Native.mount(mount.source(), target.toString(), mount.type(), mount.flags(), mount.data());
        if (r.failed()) {
            throw new OsException(
                    "mount " + mount.type() + " " + mount.source() + " on " + target + " failed: errno " + r.errno());
        }
        if (mount.remountReadOnly()) {
            Native.Result ro = Native.mount(
                    "", target.toString(), "", MountSpec.MS_BIND | MountSpec.MS_REMOUNT | MountSpec.MS_RDONLY, "");
            if (ro.failed()) {
                Native.umount2(target.toString(), MNT_DETACH);
                throw new OsException("read-only remount of " + target + " failed: errno " + ro.errno());
            }
        }
    }

    @Override
    public void unmount(Path target) throws OsException {
        Native.Result r = Native.umount2(target.toString(), 0);
        if (!r.failed() || r.errno() == EINVAL || r.errno() == ENOENT) {
            return;
        }
        if (r.errno() == EBUSY) {
            Native.Result lazy = Native.umount2(target.toString(), MNT_DETACH);
            if (!lazy.failed()) {
                return;
            }
        }
        throw new OsException("umount " + target + " failed: errno " + r.errno());
    }
}
