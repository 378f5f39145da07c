package io.jurunc.runtime.lifecycle;

import io.jurunc.oci.Spec;
import io.jurunc.runtime.config.JuruncConfig;
import io.jurunc.runtime.host.Host;
import io.jurunc.runtime.host.HostException;
import io.jurunc.runtime.host.ProcessInfo;
import io.jurunc.runtime.host.Spawned;
import io.jurunc.runtime.ports.SandboxException;
import io.jurunc.runtime.sandbox.Cgroup;
import io.jurunc.runtime.sandbox.CgroupLimits;
import io.jurunc.runtime.sandbox.FileGrant;
import io.jurunc.runtime.sandbox.IdAllocator;
import io.jurunc.runtime.sandbox.LaunchFile;
import io.jurunc.runtime.sandbox.MonitorRoot;
import io.jurunc.runtime.sandbox.MonitorUser;
import io.jurunc.runtime.sandbox.SandboxSettings;
import io.jurunc.runtime.sandbox.SandboxSetupException;
import io.jurunc.runtime.state.ContainerRecord;
import io.jurunc.runtime.state.SandboxRecord;
import io.jurunc.runtime.vm.Accel;
import io.jurunc.runtime.vm.BlockDevice;
import io.jurunc.runtime.vm.MonitorInvocation;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.SharedDir;
import io.jurunc.runtime.vm.VmSpec;
import io.jurunc.runtime.vm.guest.LinuxGuest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The monitor's confinement over the lifecycle. Create picks its user (the container's
 * {@code process.user} when it is not root, else a uid of its own from the [sandbox] range) and
 * its cgroup ({@code linux.cgroupsPath} with the spec's memory and CPU limits) and its pid namespace
 * ({@link PidNamespace}); start gives it the files it needs and writes the launch file the helper
 * reads; delete frees the uid and the cgroup. See docs/security.md.
 */
final class MonitorConfinement {
    static final String UID_KIND = "uid";
    static final String CID_KIND = "vsock-cid";
    private static final Path CGROUP_MOUNT = Path.of("/sys/fs/cgroup");
    /** The helper's first pid only forks and writes a pid; anything slower than this is a hang. */
    private static final long FORK_TIMEOUT_MILLIS = 5_000;

    private MonitorConfinement() {}

    /** The monitor's user for this spec: process.user when not root, else an allocated uid. */
    static SandboxRecord chooseUser(Spec spec, SandboxSettings s, String containerId) throws SandboxSetupException {
        Spec.User u = spec.process() == null ? null : spec.process().user();
        int uid = u == null ? 0 : u.uidOrRoot();
        if (uid < 0) throw new SandboxSetupException("process.user.uid " + uid + " is negative");
        if (uid != 0) {
            int gid = u.gidOrRoot() > 0 ? u.gidOrRoot() : uid;
            List<Integer> groups = u.additionalGids().stream()
                    .filter(g -> g > 0 && g != gid)
                    .distinct()
                    .toList();
            return new SandboxRecord(uid, gid, groups, false, List.of());
        }
        int allocated = (int) new IdAllocator(s.idsDir()).allocate(UID_KIND, s.uidBase(), s.uidCount(), containerId);
        return new SandboxRecord(allocated, allocated, List.of(), true, List.of());
    }

    /** Creates the cgroup of {@code linux.cgroupsPath}, if the spec names one. */
    static Optional<Cgroup> cgroup(Spec spec, VmSpec vm, SandboxSettings s) throws SandboxSetupException {
        Spec.Linux linux = spec.linux();
        if (linux == null || linux.cgroupsPath() == null || linux.cgroupsPath().isBlank()) return Optional.empty();
        Spec.Resources r = linux.resources();
        OptionalLong memory = OptionalLong.empty();
        if (r != null
                && r.memory() != null
                && r.memory().limit() != null
                && r.memory().limit() > 0) {
            // Guest RAM comes from this limit; the monitor's own memory rides on top of it.
            memory = OptionalLong.of(vm.memoryBytes() + s.monitorOverheadMb() * 1024 * 1024);
        }
        OptionalLong quota = OptionalLong.empty();
        OptionalLong period = OptionalLong.empty();
        if (r != null && r.cpu() != null && r.cpu().quota() != null && r.cpu().quota() > 0) {
            quota = OptionalLong.of(r.cpu().quota());
            period = OptionalLong.of(
                    r.cpu().period() == null || r.cpu().period() <= 0
                            ? 100_000
                            : r.cpu().period());
        }
        try {
            return Optional.of(
                    Cgroup.create(CGROUP_MOUNT, linux.cgroupsPath(), new CgroupLimits(memory, quota, period)));
        } catch (IllegalArgumentException e) {
            throw new SandboxSetupException("linux.resources: " + e.getMessage(), e);
        }
    }

    /** Frees the uid and removes the cgroup; failures are collected, not thrown one by one. */
    static void release(ContainerRecord r, JuruncConfig config, Host host, List<Exception> failures) {
        SandboxRecord sb = r.sandbox();
        IdAllocator ids = new IdAllocator(config.sandbox().idsDir());
        if (sb != null) {
            for (String d : sb.cgroupDirs()) removeCgroupDir(host, Path.of(d), failures);
            if (sb.uidAllocated()) {
                try {
                    ids.release(UID_KIND, sb.monitorUid(), r.id());
                } catch (SandboxSetupException e) {
                    failures.add(e);
                }
            }
        }
        if (r.vsockCid().isPresent()) {
            try {
                ids.release(CID_KIND, r.vsockCid().get(), r.id());
            } catch (SandboxSetupException e) {
                failures.add(e);
            }
        }
    }

    /**
     * A cgroup can only be removed once its last process has left; the monitor may still be exiting.
     * Retried on the host's clock for {@link #CGROUP_REMOVE_WAIT}; the last failure is collected.
     */
    private static void removeCgroupDir(Host host, Path d, List<Exception> failures) {
        SandboxSetupException[] last = {null};
        try {
            boolean removed = Poll.until(host, CGROUP_REMOVE_WAIT, CGROUP_REMOVE_STEP, () -> {
                try {
                    new Cgroup(List.of(d)).remove();
                    return true;
                } catch (SandboxSetupException e) {
                    last[0] = e;
                    return false;
                }
            });
            if (!removed) failures.add(last[0]);
        } catch (InterruptedException e) {
            // Poll set the flag again: the cgroup stays, as before
        }
    }

    static final Duration CGROUP_REMOVE_WAIT = Duration.ofSeconds(2);
    private static final Duration CGROUP_REMOVE_STEP = Duration.ofMillis(5);

    static MonitorUser user(SandboxRecord sb) {
        return new MonitorUser(sb.monitorUid(), sb.monitorGid(), sb.groups());
    }

    /** Grants the monitor's user its files and returns the launch file for this invocation. */
    static LaunchFile launch(VmSpec vm, MonitorInvocation inv, Path stateDir, JuruncConfig config, SandboxRecord sb)
            throws SandboxSetupException {
        MonitorUser user = user(sb);
        List<Path> reads = new ArrayList<>();
        reads.add(vm.kernel());
        vm.initrd().ifPresent(reads::add);
        for (MonitorInvocation.GeneratedFile f : inv.files()) reads.add(f.path());
        List<Path> writes = vm.blocks().stream().map(BlockDevice::hostPath).toList();
        for (Path p : reads) {
            if (!writes.contains(p)) FileGrant.grant(p, false, user);
        }
        for (Path p : writes) FileGrant.grant(p, true, user);
        SandboxSettings s = config.sandbox();
        Optional<Path> dataPath = config.monitor(vm.monitor()).dataPath();
        if (dataPath.isPresent()) {
            List<Path> ro = new ArrayList<>(s.readOnly());
            ro.add(dataPath.get());
            s = new SandboxSettings(
                    s.helper(), s.uidBase(), s.uidCount(), s.idsDir(), s.monitorOverheadMb(), ro, s.readWrite());
        }
        MonitorType monitor = vm.monitor();
        MonitorRoot.Needs needs = new MonitorRoot.Needs(
                vm.accel() == Accel.KVM,
                vm.net().isPresent(),
                monitor.supportsVhostNet()
                        && vm.net().isPresent()
                        && config.monitor(monitor).vhost(),
                monitor.usesVhostVsock() && vm.vsock().isPresent());
        LaunchFile planned = MonitorRoot.plan(
                stateDir.resolve(WaiterCommand.ROOT), vm.monitorBinary(), reads, writes, needs, s, user, inv.argv());
        LaunchFile shared = withShares(planned, vm);
        // the guest init writes the app's status to its exit port; the helper exits with it
        return LinuxGuest.reportsExit(vm) ? shared.withExitFd(LinuxGuest.EXIT_PORT_FD) : shared;
    }

    /**
     * The directories and files shared with the guest, bound at their generated paths in the monitor's
     * root (read-only where asked). They are not given to the monitor's uid: it reads them with the
     * host's permissions; with a read-write share it keeps the four file capabilities that storing the
     * guest's owners and modes takes ({@link LaunchFile#withFileCapabilities}; docs/security.md,
     * "Shared directories").
     */
    static LaunchFile withShares(LaunchFile planned, VmSpec vm) {
        if (vm.shares().isEmpty()) return planned;
        List<LaunchFile.Mount> mounts = new ArrayList<>(planned.mounts());
        boolean writable = false;
        for (SharedDir d : vm.shares()) {
            for (SharedDir.Bind b : d.binds()) {
                boolean ro = b.readOnly() || d.readOnly();
                writable |= !ro;
                mounts.add(new LaunchFile.Mount(
                        ro ? LaunchFile.Kind.SHARE_RO : LaunchFile.Kind.SHARE_RW, b.source(), b.at()));
            }
        }
        if (!writable) return planned.withMounts(mounts);
        // QEMU's 9p server sets the mode of a file the guest creates with chmod("/proc/self/fd/N")
        mounts.add(new LaunchFile.Mount(LaunchFile.Kind.PROC_PID, Path.of("/proc")));
        // and, with security_model=passthrough, creates, chowns and chmods as the guest asked
        // (docs/security.md, "Shared directories")
        return planned.withMounts(mounts).withFileCapabilities();
    }

    /**
     * With a pid namespace the helper forks (see {@link PidNamespace}): waits until its first pid has
     * written {@link WaiterCommand#PID_FILE} and exited — from then on the child is re-parented to the
     * nearest subreaper (containerd's shim, or jurunc's own shim daemon) — and returns the child: its
     * host pid and start time, and no JVM handle (this JVM is not its parent, so its exit is observed
     * by pid). A helper that failed leaves no child behind: it kills the child before it exits.
     */
    static Spawned forkedWaiter(Host host, Spawned helper, Path stateDir) throws SandboxException {
        try {
            if (helper.process().isPresent()) {
                Process p = helper.process().get();
                if (!p.waitFor(FORK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                    throw new SandboxException("the sandbox helper (pid " + helper.pid()
                            + ") did not fork into the pid " + "namespace within " + FORK_TIMEOUT_MILLIS + " ms");
                }
                if (p.exitValue() != 0) {
                    throw new SandboxException("the sandbox helper could not enter the container's pid namespace (exit "
                            + p.exitValue() + "); its error went to the container's stderr");
                }
            } else {
                // No JVM handle: watch the first pid go, on the host's clock.
                boolean gone = Poll.until(
                        host,
                        Duration.ofMillis(FORK_TIMEOUT_MILLIS),
                        Duration.ofMillis(1),
                        () -> host.inspect(helper.pid())
                                .filter(i -> !i.isZombie())
                                .isEmpty());
                if (!gone) {
                    throw new SandboxException("the sandbox helper (pid " + helper.pid()
                            + ") did not fork into the pid " + "namespace within " + FORK_TIMEOUT_MILLIS + " ms");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while the sandbox helper forked into the pid namespace", e);
        }
        long pid = readPid(host, stateDir.resolve(WaiterCommand.PID_FILE));
        Optional<ProcessInfo> child = host.inspect(pid);
        if (child.isEmpty() || child.get().isZombie()) {
            throw new SandboxException("the waiter (pid " + pid + ") in the container's pid namespace exited at once; "
                    + "its error went to the container's stderr");
        }
        return new Spawned(pid, child.get().startTime(), Optional.empty());
    }

    /** A root-only regular file holding one positive decimal pid (and a newline). */
    private static long readPid(Host host, Path file) throws SandboxException {
        Optional<String> content;
        try {
            content = host.readSmallFile(file, 16);
        } catch (HostException e) {
            throw new SandboxException(file + " is not the sandbox helper's pid file: " + e.getMessage(), e);
        }
        if (content.isEmpty()) throw new SandboxException("the sandbox helper left no pid in " + file);
        String text = content.get().strip();
        if (!text.matches("[1-9][0-9]{0,9}")) {
            throw new SandboxException(file + " does not hold a pid");
        }
        return Long.parseLong(text);
    }

    /** The helper binary, checked before anything is spawned. */
    static Path helper(JuruncConfig config, Host host) throws SandboxSetupException {
        Path h = config.sandbox().helperPath();
        if (!host.isExecutable(h)) {
            throw new SandboxSetupException(
                    "the sandbox helper " + h + " is missing or not executable; install jurunc "
                            + "with its libexec/ directory (cli/target/dist) or set [sandbox] helper in /etc/jurunc/config.toml");
        }
        return h;
    }
}
