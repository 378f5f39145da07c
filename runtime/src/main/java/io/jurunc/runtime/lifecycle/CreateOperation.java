package io.jurunc.runtime.lifecycle;

import io.jurunc.guest.GuestLayout;
import io.jurunc.guest.GuestMount;
import io.jurunc.oci.Spec;
import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.hooks.HookRunner;
import io.jurunc.runtime.hooks.HookStage;
import io.jurunc.runtime.hooks.Hooks;
import io.jurunc.runtime.host.HostException;
import io.jurunc.runtime.host.ProcessInfo;
import io.jurunc.runtime.host.Spawned;
import io.jurunc.runtime.host.Stdio;
import io.jurunc.runtime.metadata.GuestPath;
import io.jurunc.runtime.metadata.MetadataException;
import io.jurunc.runtime.metadata.UnikernelMetadata;
import io.jurunc.runtime.ports.GuestPacker;
import io.jurunc.runtime.ports.SandboxException;
import io.jurunc.runtime.sandbox.Cgroup;
import io.jurunc.runtime.sandbox.IdAllocator;
import io.jurunc.runtime.state.ContainerId;
import io.jurunc.runtime.state.ContainerRecord;
import io.jurunc.runtime.state.SandboxRecord;
import io.jurunc.runtime.state.StateException;
import io.jurunc.runtime.timestamps.FileTimestamps;
import io.jurunc.runtime.vm.Accel;
import io.jurunc.runtime.vm.BlockDevice;
import io.jurunc.runtime.vm.GuestResources;
import io.jurunc.runtime.vm.KernelProfile;
import io.jurunc.runtime.vm.MountException;
import io.jurunc.runtime.vm.SharedDir;
import io.jurunc.runtime.vm.VmSpec;
import io.jurunc.runtime.vm.mount.MountPlan;
import io.jurunc.runtime.vm.mount.MountPlanner;
import io.jurunc.runtime.vm.mount.RootfsMountPoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code create}: validates the bundle, builds the guest image, plans the VM and leaves a waiter
 * process (the future monitor) in the container's namespaces, whose pid goes to the pid file. The
 * network is set up by {@code start}: {@code ctr run --cni} only configures the container's netns
 * after create. On any failure everything made so far is undone: no state directory or process is
 * left behind.
 */
public final class CreateOperation {
    /** How long the waiter may take to enter its namespaces before the create hooks run. */
    static final Duration WAITER_READY = Duration.ofSeconds(5);

    private final RuntimeContext ctx;

    public CreateOperation(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    /** The created container: its record, and the process handle when this JVM spawned it. */
    public record Created(ContainerRecord record, Optional<Process> process) {}

    public Created run(CreateRequest req) throws JuruncException {
        ContainerId id = parseId(req.id());
        Bundle bundle = req.bundle();
        UnikernelMetadata md = bundle.metadata()
                .orElseThrow(() -> new InvalidBundleException("bundle " + bundle.dir() + " is not a unikernel bundle"));
        ctx.timestamps().mark(id.value(), "create.invoked");
        ctx.planner().checkPair(md.guest(), md.monitor());
        Spec spec = bundle.spec();

        Optional<Path> netns = netnsPath(spec);
        if (netns.isPresent() && !ctx.host().exists(netns.get())) {
            throw new InvalidBundleException("linux.namespaces: the network namespace " + netns.get()
                    + " does not exist; create it first (CNI/CRI does) or leave its path out for a fresh one");
        }
        PidNamespace pidns = PidNamespace.of(spec, ctx.host());
        Hooks hooks = Hooks.of(spec); // refuses createContainer/startContainer before anything is made
        Path helper = MonitorConfinement.helper(ctx.config(), ctx.host());
        Path dir = ctx.store().createDir(id);
        ContainerRecord record = ContainerRecord.creating(
                spec.ociVersion(),
                id.value(),
                bundle.dir().toString(),
                Instant.now().toString(),
                annotations(bundle, md),
                netns.map(Path::toString).orElse(null));
        Optional<Process> spawnedProcess = Optional.empty();
        long forkedPid = 0; // the waiter forked into a pid namespace: no JVM handle, killed by pid on rollback
        try {
            ctx.store().save(record);
            SandboxRecord sandbox =
                    MonitorConfinement.chooseUser(spec, ctx.config().sandbox(), id.value());
            record = record.withSandbox(sandbox);
            ctx.store().save(record);
            Path monitorBinary = ctx.planner().monitorBinary(md.monitor());
            Accel accel = ctx.planner().accel(md.monitor());
            List<String> args = guestArgs(spec, md);
            List<String> env = new ArrayList<>(
                    spec.process() == null ? List.of() : spec.process().env());
            VaccelLink vaccel = VaccelLink.of(
                    md,
                    ctx.config().vaccelAgentAddress(),
                    id.value(),
                    dir,
                    env,
                    new IdAllocator(ctx.config().sandbox().idsDir()));
            env.addAll(vaccel.env());
            ctx.timestamps().mark(id.value(), "create.validated");
            if (md.guest().envOnCommandLine() && !env.isEmpty()) {
                // Unikraft (0.16/0.17) reads env.vars only from its kernel command line, which is the monitor's argv.
                ctx.log()
                        .accept("warning: container " + id.value()
                                + ": Unikraft takes its environment only on the kernel "
                                + "command line, so " + env.size() + " variable(s) ("
                                + String.join(
                                        ", ",
                                        env.stream()
                                                .map(e -> e.contains("=") ? e.substring(0, e.indexOf('=')) : e)
                                                .toList())
                                + ") are visible in the "
                                + "monitor's command line (/proc/<pid>/cmdline) to local users; do not give a Unikraft image secrets "
                                + "through its environment");
            }

            Optional<Path> ownKernel = resolve(md.binary(), bundle.rootfs());
            Optional<Path> ownInitrd = resolve(md.initrd(), bundle.rootfs());
            Optional<Path> block = resolve(md.block(), bundle.rootfs());
            Path kernel;
            Optional<Path> initrd;
            KernelProfile profile;
            String hostname = spec.hostname() == null || spec.hostname().isBlank() ? id.value() : spec.hostname();
            MountPlan mounts = planMounts(spec, md);
            mounts.notes().forEach(n -> ctx.log().accept("container " + id.value() + ": mount " + n));
            List<SharedDir> shares = new ArrayList<>(mounts.shares());
            if (md.guest().runsJuruncInit()) {
                GuestPacker.Process process = guestProcess(spec, args, env, hostname);
                Path out = dir.resolve("initramfs.cpio");
                List<String> rootFlags =
                        spec.root() != null && Boolean.TRUE.equals(spec.root().readonly()) ? List.of("ro") : List.of();
                GuestPacker.PackedGuest packed;
                if (block.isPresent()) {
                    // our init in a boot-only initramfs mounts the disk and switches to it
                    GuestMount root = new GuestMount(GuestMount.Type.BLOCK, "/dev/vda", "/", rootFlags, "");
                    packed = ctx.packer()
                            .packBoot(
                                    process, new GuestLayout(Optional.of(root), mounts.guestMounts()), ownKernel, out);
                } else if (md.mountRootfs()) {
                    shares.addFirst(rootfsShare(bundle.rootfs(), !rootFlags.isEmpty()));
                    prepareMountPoints(bundle.rootfs(), mounts);
                    GuestMount root = new GuestMount(GuestMount.Type.NINEP, "rootfs", "/", rootFlags, "");
                    packed = ctx.packer()
                            .packBoot(
                                    process, new GuestLayout(Optional.of(root), mounts.guestMounts()), ownKernel, out);
                } else {
                    packed = ctx.packer()
                            .pack(
                                    bundle.rootfs(),
                                    process,
                                    new GuestLayout(Optional.empty(), mounts.guestMounts()),
                                    ownKernel,
                                    ownInitrd,
                                    out);
                }
                kernel = packed.kernel();
                initrd = Optional.of(packed.initrd());
                profile = packed.profile();
            } else {
                kernel = ownKernel.orElseThrow(() -> new InvalidBundleException(
                        "com.urunc.unikernel.binary: a " + md.guest().key() + " guest needs its kernel in the image"));
                initrd = ownInitrd;
                profile = KernelProfile.STANDARD;
            }
            ctx.timestamps().mark(id.value(), "create.guest_image");
            GuestResources res =
                    resources(spec, md, initrd.isPresent() ? ctx.host().size(initrd.get()) : 0);

            List<BlockDevice> blocks = block.map(b -> List.of(
                            new BlockDevice("rootfs", b, md.blockMountPoint().orElse(null), null)))
                    .orElse(List.of());
            VmSpec vm = VmSpec.builder(id.value(), md.guest(), md.monitor())
                    .monitorBinary(monitorBinary)
                    .accel(accel)
                    .seccomp(true)
                    .kernel(kernel, profile)
                    .initrd(initrd)
                    .unikernelVersion(md.version())
                    .blocks(blocks)
                    .shares(shares)
                    .vsock(vaccel.vsock())
                    .solo5Devices(md.solo5Devices())
                    .resources(res.memoryBytes(), res.vcpus())
                    .process(args, env, hostname)
                    .workDir(dir)
                    .debug(ctx.config().debugGuest())
                    .build();
            // The plan is decided here, once, and a VM the monitor cannot run fails create; start only adds
            // the network the container has by then.
            ctx.planner().check(vm);
            ctx.timestamps().mark(id.value(), "create.monitor_planned");
            // The record names the CID before anything else can fail, so that a rollback frees it.
            record = record.withPlan(vm);
            Optional<Cgroup> cgroup =
                    MonitorConfinement.cgroup(spec, vm, ctx.config().sandbox());
            if (cgroup.isPresent()) {
                sandbox = sandbox.withCgroupDirs(
                        cgroup.get().dirs().stream().map(Path::toString).toList());
                record = record.withSandbox(sandbox);
            }
            ctx.store().save(record);

            Stdio stdio = req.stdio();
            boolean terminal = spec.process() != null && spec.process().isTerminal();
            if (terminal) {
                if (req.consoleSocket().isEmpty()) {
                    throw new InvalidBundleException("process.terminal is true but no --console-socket was given");
                }
                Path slave = ctx.host().sendConsole(req.consoleSocket().get());
                stdio = new Stdio.Paths(Optional.of(slave), Optional.of(slave), Optional.of(slave));
            }
            Path fifo = dir.resolve(WaiterCommand.FIFO);
            ctx.host().mkfifo(fifo);
            ctx.host().createDirectories(dir.resolve(WaiterCommand.ROOT));
            Optional<Path> tsFile =
                    ctx.timestamps() instanceof FileTimestamps ft ? Optional.of(ft.file()) : Optional.empty();
            List<String> waiter = WaiterCommand.build(helper, dir, netns, pidns, id.value(), tsFile, terminal);
            Spawned spawned = ctx.host().spawn(waiter, stdio);
            spawnedProcess = spawned.process();
            if (spawnedProcess.isEmpty()) forkedPid = spawned.pid(); // not our child: a rollback kills it by pid
            if (pidns.forks()) {
                spawned = MonitorConfinement.forkedWaiter(ctx.host(), spawned, dir);
                spawnedProcess = Optional.empty();
                forkedPid = spawned.pid();
            }
            if (cgroup.isPresent()) cgroup.get().enter(spawned.pid());
            if (hooks.atCreate()) {
                runCreateHooks(hooks, spawned.pid(), dir, id, bundle);
                ctx.timestamps().mark(id.value(), "create.hooks");
            }
            hooks.saveLater(dir);
            record = record.withWaiter(spawned.pid(), spawned.startTime(), fifo.toString());
            ctx.store().save(record);
            if (req.pidFile().isPresent()) {
                writePidFile(req.pidFile().get(), spawned.pid());
            }
            ctx.timestamps().mark(id.value(), "create.done");
            return new Created(record, spawnedProcess);
        } catch (IOException e) { // the poststart hooks kept for start
            SandboxException se = new SandboxException("create failed: " + e.getMessage(), e);
            rollback(id, record, spawnedProcess, forkedPid, se);
            throw se;
        } catch (JuruncException | RuntimeException e) {
            rollback(id, record, spawnedProcess, forkedPid, e);
            throw e;
        }
    }

    /**
     * prestart then createRuntime, as runc runs them: after the container's process exists (here once
     * the waiter is inside its namespaces, so that a hook reaching /proc/<pid>/ns/net, as Docker's
     * libnetwork-setkey does, configures the container's netns) and before create returns.
     */
    private void runCreateHooks(Hooks hooks, long pid, Path dir, ContainerId id, Bundle bundle) throws JuruncException {
        Path ready = dir.resolve(WaiterCommand.READY);
        boolean inside;
        try {
            inside = Poll.until(ctx.host(), WAITER_READY, Duration.ofMillis(1), () -> {
                if (ctx.host().exists(ready)) return true;
                Optional<ProcessInfo> p = ctx.host().inspect(pid);
                if (p.isEmpty() || p.get().isZombie()) {
                    throw new SandboxException(
                            "container '" + id.value() + "': its waiting process exited before its hooks could run");
                }
                return false;
            });
        } catch (InterruptedException e) {
            throw new SandboxException("create of '" + id.value() + "' interrupted");
        }
        if (!inside) {
            throw new SandboxException(
                    "container '" + id.value() + "': its waiting process did not enter its " + "namespaces within 5 s");
        }
        Spec spec = bundle.spec();
        io.jurunc.oci.State state = new io.jurunc.oci.State(
                spec.ociVersion(),
                id.value(),
                "creating",
                Math.toIntExact(pid),
                bundle.dir().toString(),
                spec.annotations());
        HookRunner runner = new HookRunner(ctx.host(), ctx.log());
        runner.run(HookStage.PRESTART, hooks.prestart(), state);
        runner.run(HookStage.CREATE_RUNTIME, hooks.createRuntime(), state);
    }

    private void rollback(
            ContainerId id, ContainerRecord record, Optional<Process> process, long forkedPid, Exception failure) {
        if (forkedPid > 0) {
            try {
                ctx.host().signal(forkedPid, 9); // SIGKILL: forced even on a pid namespace's init
            } catch (JuruncException e) {
                failure.addSuppressed(e);
            }
        }
        process.ifPresent(p -> {
            p.destroyForcibly();
            try {
                p.waitFor();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        });
        List<Exception> failures = new ArrayList<>();
        MonitorConfinement.release(record, ctx.config(), ctx.host(), failures);
        failures.forEach(failure::addSuppressed);
        try {
            ctx.store().remove(id);
        } catch (StateException e) {
            failure.addSuppressed(e);
        }
    }

    static ContainerId parseId(String id) throws InvalidBundleException {
        try {
            return new ContainerId(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException(e.getMessage());
        }
    }

    private static Map<String, String> annotations(Bundle b, UnikernelMetadata md) {
        Map<String, String> m = new HashMap<>(b.spec().annotations());
        m.putAll(md.raw());
        return m;
    }

    static Optional<Path> netnsPath(Spec spec) {
        if (spec.linux() == null) return Optional.empty();
        return spec.linux().namespaces().stream()
                .filter(n -> "network".equals(n.type())
                        && n.path() != null
                        && !n.path().isBlank())
                .map(n -> Path.of(n.path()))
                .findFirst();
    }

    private GuestResources resources(Spec spec, UnikernelMetadata md, long initrdBytes) throws JuruncException {
        Spec.Resources r = spec.linux() == null ? null : spec.linux().resources();
        Long limit = r == null || r.memory() == null ? null : r.memory().limit();
        Spec.Cpu cpu = r == null ? null : r.cpu();
        return ctx.planner()
                .resources(
                        md.guest(),
                        md.monitor(),
                        initrdBytes,
                        limit,
                        cpu == null ? null : cpu.quota(),
                        cpu == null ? null : cpu.period(),
                        cpu == null ? null : cpu.cpus());
    }

    private static List<String> guestArgs(Spec spec, UnikernelMetadata md) throws InvalidBundleException {
        List<String> args = spec.process() == null ? List.of() : spec.process().args();
        if (args.isEmpty() && md.cmdline().isPresent()) {
            args = Arrays.stream(md.cmdline().get().trim().split("\\s+"))
                    .filter(s -> !s.isEmpty())
                    .toList();
        }
        if (args.isEmpty() && md.guest().runsJuruncInit()) {
            throw new InvalidBundleException("process.args is empty and com.urunc.unikernel.cmdline is not set: "
                    + "the guest has nothing to run; give the image a CMD or ENTRYPOINT");
        }
        return args;
    }

    private static GuestPacker.Process guestProcess(Spec spec, List<String> args, List<String> env, String hostname) {
        Spec.Process p = spec.process();
        Spec.User u = p == null ? null : p.user();
        return new GuestPacker.Process(
                args,
                env,
                p == null || p.cwd() == null || p.cwd().isEmpty() ? "/" : p.cwd(),
                u == null ? 0 : u.uidOrRoot(),
                u == null ? 0 : u.gidOrRoot(),
                u == null ? List.of() : u.additionalGids(),
                hostname);
    }

    /** spec.mounts for this guest and monitor (docs/runtime.md, "Mounts"); a refused mount fails create. */
    private static MountPlan planMounts(Spec spec, UnikernelMetadata md) throws InvalidBundleException {
        try {
            return MountPlanner.plan(spec.mounts() == null ? List.of() : spec.mounts(), md.guest(), md.monitor());
        } catch (MountException e) {
            throw new InvalidBundleException(e.getMessage(), e);
        }
    }

    /** A shared rootfs gets its mount points from the host, as runc makes them (the guest cannot). */
    private static void prepareMountPoints(Path rootfs, MountPlan mounts) throws InvalidBundleException {
        try {
            RootfsMountPoints.prepare(rootfs, mounts.guestMounts());
        } catch (MountException e) {
            throw new InvalidBundleException(e.getMessage(), e);
        }
    }

    private static SharedDir rootfsShare(Path rootfs, boolean readOnly) throws InvalidBundleException {
        try {
            return MountPlanner.rootfs(rootfs, readOnly);
        } catch (MountException e) {
            throw new InvalidBundleException(e.getMessage(), e);
        }
    }

    private static Optional<Path> resolve(Optional<GuestPath> p, Path rootfs) throws InvalidBundleException {
        if (p.isEmpty()) return Optional.empty();
        try {
            return Optional.of(p.get().resolveIn(rootfs));
        } catch (MetadataException e) {
            throw new InvalidBundleException(e.getMessage(), e);
        }
    }

    /**
     * Writes the pid atomically, as runc does (temp file in the same directory, then rename); the temp
     * file is created exclusively, so a link planted at its name is never followed.
     */
    private void writePidFile(Path pidFile, long pid) throws SandboxException {
        Path abs = pidFile.toAbsolutePath();
        try {
            ctx.host()
                    .writeAtomically(
                            abs,
                            Long.toString(pid).getBytes(StandardCharsets.US_ASCII),
                            PosixFilePermissions.fromString("rw-r--r--"));
        } catch (HostException e) {
            throw new SandboxException("pid file: " + e.getMessage(), e);
        }
    }
}
