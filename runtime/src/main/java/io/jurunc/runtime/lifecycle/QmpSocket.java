package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.host.Host;
import io.jurunc.runtime.host.HostException;
import io.jurunc.runtime.ports.SandboxException;
import io.jurunc.runtime.sandbox.LaunchFile;
import io.jurunc.runtime.state.SandboxRecord;
import io.jurunc.runtime.vm.MonitorInvocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * QEMU's QMP socket, for pause/resume ({@code stop}/{@code cont}): {@code <state>/qmp/sock}, in a
 * directory of its own (0700, owned by the monitor's user) that the monitor's minimal root binds
 * read-write, so that QEMU can create the socket there and root reaches it at the same host path.
 * Added next to QEMU's {@code -monitor none}; other monitors have none. A state path too long for
 * {@code sun_path} (Docker's, a 64-hex id under its runtime root) gets no QMP socket (pause then uses
 * the cgroup freezer alone), but the directory is still made and bound at the short path
 * {@link #MONITOR_DIR} in the monitor's root, so that QEMU can create the exec channels' sockets there
 * ({@link ExecChannel}); root reaches them through the directory.
 */
final class QmpSocket {
    static final String DIR = "qmp";
    static final String NAME = "sock";
    static final int SUN_PATH_MAX = 107;
    /** Where the monitor sees the directory when its host path is too long for a socket's name. */
    static final Path MONITOR_DIR = Path.of("/jurunc/shares/qmp");

    /**
     * The invocation with {@code -qmp}, the directory the monitor must be able to write (host path),
     * and where the monitor sees it: the same path, or {@link #MONITOR_DIR}.
     */
    record Attached(MonitorInvocation invocation, Optional<Path> dir, Optional<Path> monitorDir) {
        Attached(MonitorInvocation invocation, Optional<Path> dir) {
            this(invocation, dir, dir);
        }

        /** The launch file with the QMP directory bound read-write into the monitor's root. */
        LaunchFile bind(LaunchFile launch) {
            if (dir.isEmpty()) return launch;
            List<LaunchFile.Mount> mounts = new ArrayList<>(launch.mounts());
            mounts.add(
                    monitorDir.equals(dir)
                            ? new LaunchFile.Mount(LaunchFile.Kind.RW, dir.get())
                            : new LaunchFile.Mount(LaunchFile.Kind.SHARE_RW, dir.get(), monitorDir.orElseThrow()));
            return launch.withMounts(mounts);
        }
    }

    private QmpSocket() {}

    static Path path(Path stateDir) {
        return stateDir.resolve(DIR).resolve(NAME);
    }

    static Attached attach(Host host, MonitorInvocation inv, Path stateDir, SandboxRecord sb) throws SandboxException {
        List<String> argv = inv.argv();
        int at = argv.indexOf("-monitor");
        Path socket = path(stateDir);
        if (at < 0 || at + 1 >= argv.size() || socket.toString().contains(",")) {
            return new Attached(inv, Optional.empty());
        }
        Path dir = socket.getParent();
        try {
            host.createPrivateDirectory(dir, sb.monitorUid(), sb.monitorGid());
            host.delete(socket); // an earlier start's
        } catch (HostException e) {
            throw new SandboxException("cannot prepare the QMP directory " + dir + ": " + e.getMessage(), e);
        }
        if (socket.toString().length() > SUN_PATH_MAX) {
            return new Attached(inv, Optional.of(dir), Optional.of(MONITOR_DIR));
        }
        List<String> out = new ArrayList<>(argv.subList(0, at + 2));
        out.add("-qmp");
        out.add("unix:" + socket + ",server=on,wait=off");
        out.addAll(argv.subList(at + 2, argv.size()));
        return new Attached(new MonitorInvocation(out, inv.files()), Optional.of(dir));
    }
}
