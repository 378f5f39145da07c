package io.jurunc.runtime.host;

import io.jurunc.libc.Errno;
import io.jurunc.libc.ErrnoException;
import io.jurunc.runtime.state.PrivateFiles;
import io.jurunc.runtime.sys.Syscalls;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link Host} on Linux: ProcessBuilder for spawning, {@link Syscalls} (FFM) for the rest, /proc for state. */
public final class LinuxHost implements Host {
    private static final byte[] START_LINE = "start\n".getBytes(StandardCharsets.US_ASCII);
    private final Syscalls sys;
    /** The static sandbox helper, which execs a hook with an argv0 of its own; empty when none is set up. */
    private final Optional<Path> execHelper;
    /** Null: this JVM spawns with {@link ProcessBuilder}; else the caller's spawner (a served CLI call). */
    private final Spawner spawner;

    public LinuxHost() {
        this(Syscalls.linux(), Optional.empty());
    }

    public LinuxHost(Optional<Path> execHelper) {
        this(Syscalls.linux(), execHelper);
    }

    public LinuxHost(Syscalls sys) {
        this(sys, Optional.empty());
    }

    public LinuxHost(Syscalls sys, Optional<Path> execHelper) {
        this(sys, execHelper, null);
    }

    /** A host whose {@link #spawn} is done by {@code spawner} (the rest stays this process's). */
    public LinuxHost(Optional<Path> execHelper, Spawner spawner) {
        this(Syscalls.linux(), execHelper, java.util.Objects.requireNonNull(spawner));
    }

    private LinuxHost(Syscalls sys, Optional<Path> execHelper, Spawner spawner) {
        this.sys = sys;
        this.execHelper = execHelper;
        this.spawner = spawner;
    }

    @Override
    public Spawned spawn(List<String> argv, Stdio stdio) throws HostException {
        if (spawner != null) return spawner.spawn(argv, stdio);
        ProcessBuilder pb = new ProcessBuilder(argv);
        switch (stdio) {
            case Stdio.Inherit i -> pb.inheritIO();
            case Stdio.Paths p -> {
                pb.redirectInput(p.stdin().map(Path::toFile).orElse(new File("/dev/null")));
                pb.redirectOutput(p.stdout()
                        .map(f -> ProcessBuilder.Redirect.appendTo(f.toFile()))
                        .orElse(ProcessBuilder.Redirect.DISCARD));
                pb.redirectError(p.stderr()
                        .map(f -> ProcessBuilder.Redirect.appendTo(f.toFile()))
                        .orElse(ProcessBuilder.Redirect.DISCARD));
            }
        }
        try {
            Process process = pb.start();
            long pid = process.pid();
            long start = inspect(pid).map(ProcessInfo::startTime).orElse(0L);
            return new Spawned(pid, start, Optional.of(process));
        } catch (IOException e) {
            throw new HostException("cannot start " + argv.getFirst() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean signal(long pid, int signal) throws HostException {
        try {
            sys.kill((int) pid, signal);
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ESRCH) return false;
            throw new HostException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<ProcessInfo> inspect(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        String stat;
        try {
            stat = Files.readString(proc.resolve("stat"));
        } catch (IOException e) {
            return Optional.empty();
        }
        // comm may contain spaces and parentheses: fields start after the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0) return Optional.empty();
        String[] f = stat.substring(close + 2).trim().split(" ");
        char state = f[0].charAt(0);
        long start = Long.parseLong(f[19]); // field 22 overall; f[0] is field 3
        String exe = "";
        try {
            exe = Files.readSymbolicLink(proc.resolve("exe")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            // zombie or kernel thread
        }
        return Optional.of(new ProcessInfo(pid, state, start, exe));
    }

    @Override
    public List<String> cmdline(long pid) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
        } catch (IOException e) {
            return List.of();
        }
        List<String> argv = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                argv.add(new String(raw, from, i - from, StandardCharsets.UTF_8));
                from = i + 1;
            }
        }
        if (from < raw.length) argv.add(new String(raw, from, raw.length - from, StandardCharsets.UTF_8));
        return argv;
    }

    @Override
    public Optional<String> status(long pid) {
        try {
            return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public boolean isExecutable(Path file) {
        return Files.isExecutable(file);
    }

    @Override
    public long size(Path file) throws HostException {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new HostException("cannot read the size of " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void createDirectories(Path dir) throws HostException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new HostException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void createPrivateDirectory(Path dir, int uid, int gid) throws HostException {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            }
            Files.setPosixFilePermissions(dir, PRIVATE_DIR);
            Files.setAttribute(dir, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(dir, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new HostException("cannot make the private directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    @Override
    public boolean delete(Path file) throws HostException {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new HostException("cannot remove " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> readSmallFile(Path file, int maxBytes) throws HostException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new HostException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!a.isRegularFile()) throw new HostException(file + " is not a regular file");
        if (a.size() > maxBytes) throw new HostException(file + " is longer than " + maxBytes + " bytes");
        try {
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new HostException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void writeAtomically(Path file, byte[] content, Set<PosixFilePermission> mode) throws HostException {
        try {
            PrivateFiles.writeAtomically(file, content, mode);
        } catch (IOException e) {
            throw new HostException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d);
    }

    @Override
    public void mkfifo(Path path) throws HostException {
        try {
            sys.mkfifo(path.toString(), 0600);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EEXIST) throw new HostException(e.getMessage(), e);
        }
    }

    @Override
    public Path sendConsole(Path consoleSocket) throws HostException {
        return ConsoleSocket.sendPtyMaster(consoleSocket);
    }

    @Override
    public boolean pokeFifo(Path path) throws HostException {
        int fd;
        try {
            // Non-blocking: with no reader (the waiter is gone) this fails with ENXIO instead of hanging.
            fd = sys.open(path.toString(), Syscalls.O_WRONLY | Syscalls.O_NONBLOCK | Syscalls.O_CLOEXEC);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENXIO || e.errno() == Errno.ENOENT) return false;
            throw new HostException(e.getMessage(), e);
        }
        try {
            if (sys.write(fd, START_LINE, START_LINE.length) != START_LINE.length) {
                throw new HostException("short write to " + path);
            }
            return true;
        } catch (ErrnoException e) {
            throw new HostException(e.getMessage(), e);
        } finally {
            try {
                sys.close(fd);
            } catch (ErrnoException ignored) {
                // the line is written; a failing close changes nothing
            }
        }
    }

    @Override
    public Optional<String> readControl(Path file) throws HostException {
        try {
            return Optional.of(Files.readString(file));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new HostException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void writeControl(Path file, String value) throws HostException {
        try {
            Files.writeString(
                    file,
                    value,
                    java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new HostException("cannot write '" + value + "' to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String qmp(Path socket, String command) throws HostException {
        return QmpClient.execute(socket, command, QMP_TIMEOUT_MS);
    }

    @Override
    public HookExit runHook(
            Path path, List<String> args, List<String> env, byte[] stdin, Optional<java.time.Duration> timeout)
            throws HostException {
        return HookProcess.run(execHelper, path, args, env, stdin, timeout);
    }

    private static final long QMP_TIMEOUT_MS = 5_000;
}
