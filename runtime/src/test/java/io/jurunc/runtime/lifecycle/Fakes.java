package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.config.JuruncConfig;
import io.jurunc.runtime.host.Host;
import io.jurunc.runtime.host.HostException;
import io.jurunc.runtime.host.ProcessInfo;
import io.jurunc.runtime.host.Spawned;
import io.jurunc.runtime.host.Stdio;
import io.jurunc.runtime.ports.GuestPacker;
import io.jurunc.runtime.ports.SandboxException;
import io.jurunc.runtime.ports.SandboxNetwork;
import io.jurunc.runtime.ports.VmPlanner;
import io.jurunc.runtime.sandbox.MonitorUser;
import io.jurunc.runtime.sandbox.SandboxSettings;
import io.jurunc.runtime.state.StateStore;
import io.jurunc.runtime.timestamps.Timestamps;
import io.jurunc.runtime.vm.Accel;
import io.jurunc.runtime.vm.GuestNet;
import io.jurunc.runtime.vm.GuestResources;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.KernelProfile;
import io.jurunc.runtime.vm.MonitorInvocation;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.VmSpec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Recording fakes of the lifecycle's OS boundary and sandbox services. */
final class Fakes {
    private Fakes() {}

    /** What the waiter does once its FIFO is poked: what the monitor's exec looks like from outside. */
    enum OnRelease {
        /** It execs the monitor: the pid's argv becomes the monitor's. */
        EXEC,
        /** It never gets to the exec: the pid keeps the waiter's argv. */
        HANG,
        /** The monitor exits at once: the pid is gone. */
        EXIT
    }

    /**
     * The host with processes, FIFOs and a clock of its own: nothing is spawned or signalled, and waiting
     * takes no time (sleep advances the clock). Files go to the test's temporary directory, recorded.
     */
    static final class RecordingHost implements Host {
        final List<List<String>> spawned = new ArrayList<>();
        /** The argv of each fake process, as /proc/PID/cmdline would show it. */
        final Map<Long, List<String>> cmdlines = new HashMap<>();
        /** Which pid waits on which start FIFO. */
        final Map<Path, Long> fifoWaiters = new HashMap<>();
        /** Files written atomically, with their modes. */
        final Map<Path, Set<PosixFilePermission>> written = new HashMap<>();

        OnRelease onRelease = OnRelease.EXEC;
        long now = 1_000_000_000L;
        /** How many times the operations slept. */
        int sleeps;

        final List<String> signals = new ArrayList<>();
        final Map<Long, ProcessInfo> procs = new HashMap<>();
        final List<Path> fifos = new ArrayList<>();
        final List<Path> pokes = new ArrayList<>();
        long nextPid = 4242;
        boolean waiterNeverReady;
        boolean failSpawn;

        @Override
        public Spawned spawn(List<String> argv, Stdio stdio) throws HostException {
            if (failSpawn) throw new HostException("cannot start " + argv.getFirst() + ": boom");
            spawned.add(argv);
            if (!waiterNeverReady) {
                try {
                    Files.createFile(Path.of(argv.get(2), WaiterCommand.READY)); // as the helper would
                } catch (java.io.IOException e) {
                    throw new HostException(e.getMessage());
                }
            }
            long pid = nextPid++;
            Path fifo = Path.of(argv.get(2), WaiterCommand.FIFO);
            if (argv.contains("--new-pid") || argv.contains("--pidns")) {
                // As the helper does: its first pid forks into the namespace, writes the child's pid, exits.
                if (forkFails) return new Spawned(pid, 77, Optional.empty());
                if (forkHangs) {
                    procs.put(pid, new ProcessInfo(pid, 'S', 77, "/usr/bin/dash")); // never gets to fork
                    return new Spawned(pid, 77, Optional.empty());
                }
                long child = nextPid++;
                procs.put(child, new ProcessInfo(child, 'S', 78, "/usr/bin/dash"));
                cmdlines.put(child, argv);
                fifoWaiters.put(fifo, child);
                try {
                    Files.writeString(Path.of(argv.get(2), WaiterCommand.PID_FILE), child + "\n");
                } catch (java.io.IOException e) {
                    throw new HostException(e.getMessage());
                }
                onSpawn.run();
                return new Spawned(pid, 77, Optional.empty());
            }
            procs.put(pid, new ProcessInfo(pid, 'S', 77, "/usr/bin/dash"));
            cmdlines.put(pid, argv);
            fifoWaiters.put(fifo, pid);
            return new Spawned(pid, 77, Optional.empty());
        }

        /** The helper's first pid exits without reporting a child (it could not enter the namespace). */
        boolean forkFails;
        /** The helper's first pid neither forks nor exits. */
        boolean forkHangs;
        /** Runs once a forked waiter exists (e.g. to let it die at once). */
        Runnable onSpawn = () -> {};

        @Override
        public boolean signal(long pid, int signal) {
            signals.add(pid + ":" + signal);
            if (!procs.containsKey(pid)) return false;
            if ((signal == 9 || signal == 15) && !unkillable.contains(pid)) procs.remove(pid);
            return true;
        }

        /** Processes that outlive every signal (stuck in the kernel, or their reaper never comes). */
        final Set<Long> unkillable = new java.util.HashSet<>();
        /** /proc/PID/status texts, by pid; a live process without one shows none. */
        final Map<Long, String> statuses = new HashMap<>();
        /** Directories made private, as "dir uid:gid". */
        final List<String> privateDirs = new ArrayList<>();
        /** Files removed (whether or not they were there). */
        final List<Path> deleted = new ArrayList<>();

        @Override
        public Optional<String> status(long pid) {
            return procs.containsKey(pid) ? Optional.ofNullable(statuses.get(pid)) : Optional.empty();
        }

        @Override
        public void createPrivateDirectory(Path dir, int uid, int gid) throws HostException {
            privateDirs.add(dir + " " + uid + ":" + gid);
            createDirectories(dir);
        }

        @Override
        public boolean delete(Path file) throws HostException {
            deleted.add(file);
            try {
                return Files.deleteIfExists(file);
            } catch (java.io.IOException e) {
                throw new HostException("cannot remove " + file + ": " + e.getMessage());
            }
        }

        @Override
        public Optional<String> readSmallFile(Path file, int maxBytes) throws HostException {
            if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
            try {
                if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        || Files.size(file) > maxBytes) {
                    throw new HostException(file + " is not a regular file of at most " + maxBytes + " bytes");
                }
                return Optional.of(Files.readString(file));
            } catch (java.io.IOException e) {
                throw new HostException(e.getMessage());
            }
        }

        @Override
        public Optional<ProcessInfo> inspect(long pid) {
            return Optional.ofNullable(procs.get(pid));
        }

        @Override
        public List<String> cmdline(long pid) {
            return procs.containsKey(pid) ? cmdlines.getOrDefault(pid, List.of()) : List.of();
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
            } catch (java.io.IOException e) {
                throw new HostException(e.getMessage());
            }
        }

        @Override
        public void createDirectories(Path dir) throws HostException {
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new HostException(e.getMessage());
            }
        }

        @Override
        public void writeAtomically(Path file, byte[] content, Set<PosixFilePermission> mode) throws HostException {
            written.put(file, mode);
            try {
                Files.write(file, content);
            } catch (java.io.IOException e) {
                throw new HostException("cannot write " + file + ": " + e.getMessage());
            }
        }

        @Override
        public long nanoTime() {
            return now;
        }

        /** Runs at each sleep: what happens on the host while an operation waits. */
        Runnable onSleep = () -> {};

        @Override
        public void sleep(Duration d) {
            sleeps++;
            now += d.toNanos();
            onSleep.run();
        }

        @Override
        public void mkfifo(Path path) throws HostException {
            fifos.add(path);
            try {
                Files.createFile(path);
            } catch (java.io.IOException e) {
                throw new HostException(e.getMessage());
            }
        }

        @Override
        public Path sendConsole(Path socket) {
            consoles.add(socket);
            return Path.of("/dev/pts/99");
        }

        final List<Path> consoles = new ArrayList<>();

        @Override
        public boolean pokeFifo(Path path) {
            pokes.add(path);
            if (unreadyPokes > 0) {
                unreadyPokes--;
                return false;
            }
            Long pid = fifoWaiters.get(path);
            if (pid != null) {
                switch (onRelease) {
                    case EXEC -> cmdlines.put(pid, List.of("/usr/bin/fake-monitor"));
                    case HANG -> {}
                    case EXIT -> procs.remove(pid);
                }
            }
            return true;
        }

        int unreadyPokes;

        /** One hook run: what it got, and how many processes had been spawned before it. */
        record HookCall(
                Path path,
                List<String> args,
                List<String> env,
                String stdin,
                Optional<java.time.Duration> timeout,
                int spawnedBefore) {}

        final List<HookCall> hooks = new ArrayList<>();
        /** How a hook ends, by path; a hook not named here exits 0. */
        final Map<Path, io.jurunc.runtime.host.HookExit> hookExits = new HashMap<>();

        @Override
        public io.jurunc.runtime.host.HookExit runHook(
                Path path, List<String> args, List<String> env, byte[] stdin, Optional<java.time.Duration> timeout) {
            hooks.add(new HookCall(
                    path,
                    args,
                    env,
                    new String(stdin, java.nio.charset.StandardCharsets.UTF_8),
                    timeout,
                    spawned.size()));
            return hookExits.getOrDefault(path, new io.jurunc.runtime.host.HookExit(0, false, ""));
        }
    }

    static final class FakePlanner implements VmPlanner {
        /** The plans create checked, and those start built an argv for. */
        final List<VmSpec> checked = new ArrayList<>();

        final List<VmSpec> planned = new ArrayList<>();
        boolean failPlan;

        @Override
        public void checkPair(GuestType guest, MonitorType monitor) throws SandboxException {
            if (guest.key().equals("rumprun") && monitor.key().equals("qemu")) {
                throw new SandboxException("rumprun does not run on qemu; use hvt or spt");
            }
        }

        @Override
        public void check(VmSpec spec) throws SandboxException {
            if (failPlan) throw new SandboxException("plan failed");
            checked.add(spec);
        }

        @Override
        public GuestResources resources(
                GuestType guest,
                MonitorType monitor,
                long initrdBytes,
                Long limit,
                Long quota,
                Long period,
                String cpuset) {
            return new GuestResources(limit == null ? 256_000_000L : limit, 1);
        }

        @Override
        public MonitorInvocation plan(VmSpec spec) throws SandboxException {
            if (failPlan) throw new SandboxException("plan failed");
            planned.add(spec);
            return new MonitorInvocation(
                    List.of("/usr/bin/fake-monitor", "-kernel", spec.kernel().toString()),
                    List.of(new MonitorInvocation.GeneratedFile(spec.workDir().resolve("monitor.json"), "{}")));
        }

        @Override
        public Path monitorBinary(MonitorType monitor) {
            return Path.of("/usr/bin/fake-monitor");
        }

        @Override
        public Accel accel(MonitorType monitor) {
            return Accel.TCG;
        }
    }

    static final class FakeNetwork implements SandboxNetwork {
        final List<String> calls = new ArrayList<>();
        boolean withDefaultRoute = true;

        @Override
        public Optional<GuestNet> setup(Path netns, String containerId, MonitorUser owner) {
            calls.add("setup " + netns + " " + containerId + " owner " + owner.uid() + ":" + owner.gid());
            if (!withDefaultRoute) return Optional.empty();
            try {
                return Optional.of(new GuestNet(
                        "tap0_jurunc",
                        "eth0",
                        (Inet4Address) InetAddress.getByName("10.9.0.5"),
                        24,
                        (Inet4Address) InetAddress.getByName("10.9.0.1"),
                        "02:00:00:00:00:05",
                        1500));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void teardown(Path netns, String containerId) {
            calls.add("teardown " + netns + " " + containerId);
        }
    }

    static final class FakePacker implements GuestPacker {
        final List<Process> packed = new ArrayList<>();
        final List<io.jurunc.guest.GuestLayout> layouts = new ArrayList<>();

        @Override
        public PackedGuest packBoot(
                Process process, io.jurunc.guest.GuestLayout layout, Optional<Path> ownKernel, Path out)
                throws SandboxException {
            return pack(null, process, layout, ownKernel, Optional.empty(), out);
        }

        @Override
        public PackedGuest pack(
                Path rootfs,
                Process process,
                io.jurunc.guest.GuestLayout layout,
                Optional<Path> ownKernel,
                Optional<Path> baseInitrd,
                Path out)
                throws SandboxException {
            packed.add(process);
            layouts.add(layout);
            Path kitKernel = out.resolveSibling("kit-vmlinuz");
            try {
                Files.writeString(out, "cpio");
                Files.writeString(kitKernel, "kernel");
            } catch (java.io.IOException e) {
                throw new SandboxException(e.getMessage());
            }
            return new PackedGuest(ownKernel.orElse(kitKernel), out, KernelProfile.MICROVM);
        }
    }

    record World(
            RuntimeContext ctx,
            RecordingHost host,
            FakePlanner planner,
            FakeNetwork network,
            FakePacker packer,
            List<String> log) {}

    static World world(Path root) {
        RecordingHost host = new RecordingHost();
        FakePlanner planner = new FakePlanner();
        FakeNetwork net = new FakeNetwork();
        FakePacker packer = new FakePacker();
        List<String> log = new ArrayList<>();
        JuruncConfig d = JuruncConfig.defaults();
        Path helper = root.resolveSibling("jurunc-sandbox");
        try {
            Files.writeString(helper, "#!/bin/sh\nexit 1\n");
            helper.toFile().setExecutable(true);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        SandboxSettings sandbox = new SandboxSettings(
                Optional.of(helper), 2_000_000, 16, root.resolveSibling("ids"), 64, List.of(), List.of());
        JuruncConfig config = new JuruncConfig(
                d.logLevel(),
                d.timestamps(),
                d.timestampsDestination(),
                d.runc(),
                d.accel(),
                d.kitDir(),
                d.maxMemoryMb(),
                d.debugGuest(),
                d.monitors(),
                d.vaccelAgentAddress(),
                sandbox);
        RuntimeContext ctx = new RuntimeContext(
                new StateStore(root), config, host, Timestamps.DISABLED, planner, net, packer, log::add);
        return new World(ctx, host, planner, net, packer, log);
    }
}
