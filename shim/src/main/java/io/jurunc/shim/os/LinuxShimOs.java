package io.jurunc.shim.os;

import io.jurunc.libc.Errno;
import io.jurunc.libc.ErrnoException;
import io.jurunc.libc.Fds;
import io.jurunc.libc.Mounts;
import io.jurunc.libc.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** The real {@link ShimOs}: libc through the project's binding ({@code io.jurunc.libc}), helper commands through {@link ProcessBuilder}. */
public final class LinuxShimOs implements ShimOs {
    @Override
    public void becomeSubreaper() throws OsException {
        try {
            Processes.prctl(Processes.PR_SET_CHILD_SUBREAPER, 1);
        } catch (ErrnoException e) {
            throw new OsException("PR_SET_CHILD_SUBREAPER: " + e.getMessage(), e);
        }
    }

    @Override
    public ExitStatus awaitExit(int pid) throws InterruptedException {
        try {
            Processes.ChildInfo child = Processes.waitid(Processes.P_PID, pid, Processes.WEXITED);
            return ExitStatus.fromSiginfo(child.code(), child.status(), Instant.now());
        } catch (ErrnoException e) {
            // Not our child (ECHILD): all we can do is watch it disappear.
        }
        while (Files.exists(Path.of("/proc", Integer.toString(pid)))) {
            Thread.sleep(100);
        }
        return new ExitStatus(255, Instant.now());
    }

    @Override
    public Console console() throws OsException {
        Path dir;
        try {
            // 0700, and short: sun_path has room for 107 bytes, a bundle path may not
            dir = Files.createTempDirectory("jurunc-tty");
        } catch (IOException e) {
            throw new OsException("console socket directory: " + e.getMessage(), e);
        }
        return LinuxConsole.listen(dir.resolve("console.sock"));
    }

    @Override
    public boolean signal(int pid, int signal) throws OsException {
        try {
            Processes.kill(pid, signal);
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ESRCH) {
                return false;
            }
            throw new OsException(e.getMessage(), e);
        }
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
        try {
            Fds.Pipe pipe = Fds.pipe(Fds.O_CLOEXEC);
            return new int[] {pipe.readFd(), pipe.writeFd()};
        } catch (ErrnoException e) {
            throw new OsException(e.getMessage(), e);
        }
    }

    @Override
    public void close(int fd) throws OsException {
        try {
            Fds.close(fd);
        } catch (ErrnoException e) {
            throw new OsException(e.getMessage(), e);
        }
    }

    @Override
    public void mount(MountSpec mount, Path target) throws OsException {
        try {
            Mounts.mount(mount.source(), target.toString(), mount.type(), mount.flags(), mount.data());
        } catch (ErrnoException e) {
            throw new OsException(
                    "mount " + mount.type() + " " + mount.source() + " on " + target + ": " + e.getMessage(), e);
        }
        if (mount.remountReadOnly()) {
            try {
                Mounts.mount(
                        "", target.toString(), "", MountSpec.MS_BIND | MountSpec.MS_REMOUNT | MountSpec.MS_RDONLY, "");
            } catch (ErrnoException e) {
                try {
                    Mounts.umount2(target.toString(), Mounts.MNT_DETACH);
                } catch (ErrnoException ignored) {
                    // the read-only remount's failure is what the caller needs to hear
                }
                throw new OsException("read-only remount of " + target + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void unmount(Path target) throws OsException {
        try {
            Mounts.umount2(target.toString(), 0);
        } catch (ErrnoException e) {
            switch (e.errno()) {
                case Errno.EINVAL, Errno.ENOENT -> {
                    return; // not mounted, or gone
                }
                case Errno.EBUSY -> {
                    try {
                        Mounts.umount2(target.toString(), Mounts.MNT_DETACH);
                        return;
                    } catch (ErrnoException lazy) {
                        // report the first failure
                    }
                }
                default -> {}
            }
            throw new OsException("umount " + target + ": " + e.getMessage(), e);
        }
    }
}
