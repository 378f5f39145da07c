package io.jurunc.runtime.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * What the sandbox helper ({@code runtime/src/main/c/sandbox.c}) reads from {@code monitor.launch}
 * once start releases it: the minimal root to build, the monitor's user, environment and argv, and
 * the descriptor at which the monitor gets its end of the exit socket pair (a guest that reports its
 * exit status; the helper, the monitor's parent, exits with that status), and whether the monitor
 * keeps the file capabilities ({@code filecaps=1}: {@code CAP_CHOWN}, {@code CAP_DAC_OVERRIDE},
 * {@code CAP_FOWNER}, {@code CAP_FSETID}, and nothing else) that serving a writable share with the
 * guest's owners takes (QEMU's {@code security_model=passthrough}). Encoded as NUL-terminated
 * {@code key=value} records, so any byte but NUL may appear in an argument.
 */
public record LaunchFile(
        Path root,
        List<Mount> mounts,
        List<Path> hostLinks,
        MonitorUser user,
        List<String> env,
        List<String> argv,
        OptionalInt exitFd,
        boolean fileCapabilities) {

    public static final String NAME = "monitor.launch";

    /** The descriptors the helper may use for the exit socket pair (0-2 are the monitor's stdio). */
    public static final int MIN_EXIT_FD = 3;

    public static final int MAX_EXIT_FD = 255;

    /** Without an exit socket pair. */
    public LaunchFile(
            Path root,
            List<Mount> mounts,
            List<Path> hostLinks,
            MonitorUser user,
            List<String> env,
            List<String> argv) {
        this(root, mounts, hostLinks, user, env, argv, OptionalInt.empty(), false);
    }

    /** How a host path appears, at the same path, in the monitor's root. */
    public enum Kind {
        /** read-only, executable (the monitor, its libraries) */
        ROX("rox"),
        /** read-only, noexec (kernel, initrd, configs) */
        RO("ro"),
        /** read-write, noexec (block images) */
        RW("rw"),
        /** a device node */
        DEV("dev"),
        /** a path shared with the guest, bound read-only at a generated path ({@code shro=AT=SRC}) */
        SHARE_RO("shro"),
        /** a path shared with the guest, bound read-write at a generated path ({@code shrw=AT=SRC}) */
        SHARE_RW("shrw"),
        /**
         * a procfs at /proc with only the monitor's own processes ({@code subset=pid,hidepid=invisible}):
         * QEMU's 9p server sets the mode of a file the guest creates through /proc/self/fd
         */
        PROC_PID("procpid");

        final String key;

        Kind(String key) {
            this.key = key;
        }
    }

    /** {@code path} at its own path in the root, or (shares) at {@code at}. */
    public record Mount(Kind kind, Path path, Path at) {
        public Mount {
            Objects.requireNonNull(kind, "kind");
            requireAbsolute(path);
            boolean share = kind == Kind.SHARE_RO || kind == Kind.SHARE_RW;
            if (share != (at != null))
                throw new IllegalArgumentException("only shares, and all of them, name where they go");
            if (share) {
                requireAbsolute(at);
                if (at.toString().contains("="))
                    throw new IllegalArgumentException("a share's target holds '=': " + at);
            }
        }

        public Mount(Kind kind, Path path) {
            this(kind, path, null);
        }
    }

    public LaunchFile {
        requireAbsolute(root);
        mounts = List.copyOf(mounts);
        hostLinks = List.copyOf(hostLinks);
        hostLinks.forEach(LaunchFile::requireAbsolute);
        Objects.requireNonNull(user, "user");
        env = List.copyOf(env);
        argv = List.copyOf(argv);
        if (argv.isEmpty() || !argv.getFirst().startsWith("/")) {
            throw new IllegalArgumentException("argv[0] must be the monitor's absolute path, got " + argv);
        }
        if (Stream.concat(env.stream(), argv.stream()).anyMatch(s -> s.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("NUL byte in a monitor argument or variable");
        }
        Objects.requireNonNull(exitFd, "exitFd");
        if (exitFd.isPresent() && (exitFd.getAsInt() < MIN_EXIT_FD || exitFd.getAsInt() > MAX_EXIT_FD)) {
            throw new IllegalArgumentException(
                    "the exit descriptor " + exitFd.getAsInt() + " is not in " + MIN_EXIT_FD + ".." + MAX_EXIT_FD);
        }
        if (fileCapabilities && mounts.stream().noneMatch(m -> m.kind() == Kind.SHARE_RW)) {
            throw new IllegalArgumentException("file capabilities without a read-write share");
        }
    }

    /** The same launch, the monitor getting its end of the exit socket pair at {@code fd}. */
    public LaunchFile withExitFd(int fd) {
        return new LaunchFile(root, mounts, hostLinks, user, env, argv, OptionalInt.of(fd), fileCapabilities);
    }

    /** The same launch with other mounts (the exit descriptor and the file capabilities kept). */
    public LaunchFile withMounts(List<Mount> other) {
        return new LaunchFile(root, other, hostLinks, user, env, argv, exitFd, fileCapabilities);
    }

    /**
     * The same launch, the monitor keeping {@code CAP_CHOWN}, {@code CAP_DAC_OVERRIDE}, {@code CAP_FOWNER}
     * and {@code CAP_FSETID} (and only those): for a monitor that serves a writable share with the
     * guest's owners and modes. Only with a read-write share in the mounts.
     */
    public LaunchFile withFileCapabilities() {
        return new LaunchFile(root, mounts, hostLinks, user, env, argv, exitFd, true);
    }

    private static void requireAbsolute(Path p) {
        Objects.requireNonNull(p, "path");
        if (!p.isAbsolute() || p.toString().indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not an absolute path: " + p);
        }
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        record(out, "root", root.toString());
        for (Mount m : mounts) {
            record(out, m.kind().key, (m.at() == null ? "" : m.at() + "=") + m.path());
        }
        for (Path l : hostLinks) record(out, "hostlink", l.toString());
        record(out, "uid", Integer.toString(user.uid()));
        record(out, "gid", Integer.toString(user.gid()));
        for (int g : user.groups()) record(out, "group", Integer.toString(g));
        for (String e : env) record(out, "env", e);
        for (String a : argv) record(out, "arg", a);
        exitFd.ifPresent(fd -> record(out, "exitfd", Integer.toString(fd)));
        if (fileCapabilities) record(out, "filecaps", "1");
        return out.toByteArray();
    }

    private static void record(ByteArrayOutputStream out, String key, String value) {
        out.writeBytes((key + "=" + value).getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }
}
