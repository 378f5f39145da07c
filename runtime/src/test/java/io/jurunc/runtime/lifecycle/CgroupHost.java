package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.host.Host;
import io.jurunc.runtime.host.HostException;
import io.jurunc.runtime.host.ProcessInfo;
import io.jurunc.runtime.host.Spawned;
import io.jurunc.runtime.host.Stdio;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A recording fake of the host's cgroup files and QMP sockets, in front of {@link Fakes.RecordingHost}
 * for the processes. Writing the freezer files changes what the freezer reads back, as the kernel does.
 */
final class CgroupHost implements Host {
    final Host processes;
    final Map<Path, String> files = new HashMap<>();
    final List<String> writes = new ArrayList<>();
    final List<String> qmp = new ArrayList<>();
    boolean qmpFails;
    boolean neverFreezes;

    CgroupHost(Host processes) {
        this.processes = processes;
    }

    void v2() {
        files.put(SandboxCgroup.MOUNT.resolve("cgroup.controllers"), "cpu io memory pids\n");
    }

    @Override
    public Optional<String> readControl(Path file) {
        return Optional.ofNullable(files.get(file));
    }

    @Override
    public void writeControl(Path file, String value) throws HostException {
        if (!files.containsKey(file)) throw new HostException("cannot write '" + value + "' to " + file + ": ENOENT");
        writes.add(file + "=" + value);
        files.put(file, value);
        if (neverFreezes) {
            if (file.endsWith("freezer.state")) files.put(file, "FREEZING\n");
            return;
        }
        if (file.endsWith("freezer.state")) files.put(file, value.equals("FROZEN") ? "FROZEN\n" : "THAWED\n");
        if (file.endsWith("cgroup.freeze")) {
            files.put(file.resolveSibling("cgroup.events"), "populated 1\nfrozen " + value + "\n");
        }
    }

    @Override
    public String qmp(Path socket, String command) throws HostException {
        qmp.add(socket.getFileName() + ":" + command);
        if (qmpFails) throw new HostException("QMP " + command + " on " + socket + ": no answer within 5000 ms");
        return "{}";
    }

    @Override
    public Spawned spawn(List<String> argv, Stdio stdio) throws HostException {
        return processes.spawn(argv, stdio);
    }

    @Override
    public boolean signal(long pid, int signal) throws HostException {
        return processes.signal(pid, signal);
    }

    @Override
    public Optional<ProcessInfo> inspect(long pid) {
        return processes.inspect(pid);
    }

    @Override
    public void mkfifo(Path path) throws HostException {
        processes.mkfifo(path);
    }

    @Override
    public Path sendConsole(Path consoleSocket) throws HostException {
        return processes.sendConsole(consoleSocket);
    }

    @Override
    public boolean pokeFifo(Path path) throws HostException {
        return processes.pokeFifo(path);
    }

    @Override
    public List<String> cmdline(long pid) {
        return processes.cmdline(pid);
    }

    @Override
    public boolean exists(Path path) {
        return processes.exists(path);
    }

    @Override
    public Optional<String> status(long pid) {
        return processes.status(pid);
    }

    @Override
    public void createPrivateDirectory(Path dir, int uid, int gid) throws HostException {
        processes.createPrivateDirectory(dir, uid, gid);
    }

    @Override
    public boolean delete(Path file) throws HostException {
        return processes.delete(file);
    }

    @Override
    public Optional<String> readSmallFile(Path file, int maxBytes) throws HostException {
        return processes.readSmallFile(file, maxBytes);
    }

    @Override
    public boolean isExecutable(Path file) {
        return processes.isExecutable(file);
    }

    @Override
    public long size(Path file) throws HostException {
        return processes.size(file);
    }

    @Override
    public void createDirectories(Path dir) throws HostException {
        processes.createDirectories(dir);
    }

    @Override
    public void writeAtomically(Path file, byte[] content, Set<PosixFilePermission> mode) throws HostException {
        processes.writeAtomically(file, content, mode);
    }

    @Override
    public long nanoTime() {
        return processes.nanoTime();
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
        processes.sleep(d);
    }
}
