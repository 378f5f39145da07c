package io.jurunc.runtime.vm;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to boot one sandbox, independent of the monitor: the plan. {@code create} decides
 * it once (through {@link #builder}) and persists it as it is in the container's state; {@code start}
 * adds only the network ({@link #withNet}), which is never persisted, and the monitor builders turn it
 * into an argv and config files and trust it.
 *
 * @param containerId the container id
 * @param guest the guest kind
 * @param monitor the monitor kind
 * @param monitorBinary the resolved monitor executable
 * @param kernel host path of the guest kernel
 * @param initrd host path of the initrd/initramfs, if any
 * @param blocks block devices, in order
 * @param memoryBytes guest RAM as given by the spec's memory limit (or the configured default);
 *     each monitor rounds it with its own rule (decimal MB for qemu/solo5, MiB for firecracker)
 * @param vcpus number of vCPUs
 * @param args the application's argv (process.args, or the cmdline annotation split)
 * @param env the application's environment (process.env)
 * @param net the guest network, empty for no NIC; added by start, not part of the persisted plan
 * @param unikernelVersion e.g. "0.17.0" (Unikraft uses it to pick its cmdline form)
 * @param workDir a per-container directory for generated files (e.g. the Firecracker config)
 * @param seccomp whether the monitor should sandbox itself (false when spec.linux.seccomp is null)
 * @param accel KVM or TCG, from the KVM probe
 * @param kernelProfile what the kernel can boot on
 * @param vsock a vsock device, if vAccel over vsock was asked for
 * @param hostname the guest hostname
 * @param debug extra guest diagnostics (e.g. no "quiet", init timestamps)
 * @param solo5Devices the Solo5 manifest device names the image asked for (Solo5 tenders only)
 * @param shares directories shared with the guest over virtio-9p (bind mounts, a shared rootfs)
 */
public record VmSpec(
        String containerId,
        GuestType guest,
        MonitorType monitor,
        Path monitorBinary,
        Path kernel,
        Optional<Path> initrd,
        List<BlockDevice> blocks,
        long memoryBytes,
        int vcpus,
        List<String> args,
        List<String> env,
        @JsonIgnore Optional<GuestNet> net,
        Optional<String> unikernelVersion,
        Path workDir,
        boolean seccomp,
        Accel accel,
        KernelProfile kernelProfile,
        Optional<Vsock> vsock,
        String hostname,
        boolean debug,
        Solo5DeviceNames solo5Devices,
        List<SharedDir> shares) {
    public VmSpec {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(guest, "guest");
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(monitorBinary, "monitorBinary");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(accel, "accel");
        Objects.requireNonNull(kernelProfile, "kernelProfile");
        initrd = initrd == null ? Optional.empty() : initrd;
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
        net = net == null ? Optional.empty() : net;
        unikernelVersion = unikernelVersion == null ? Optional.empty() : unikernelVersion;
        vsock = vsock == null ? Optional.empty() : vsock;
        solo5Devices = solo5Devices == null ? Solo5DeviceNames.DEFAULTS : solo5Devices;
        shares = shares == null ? List.of() : List.copyOf(shares);
        hostname = hostname == null || hostname.isBlank() ? containerId : hostname;
        if (memoryBytes <= 0) throw new IllegalArgumentException("memoryBytes must be positive");
        if (vcpus <= 0) throw new IllegalArgumentException("vcpus must be positive");
    }

    /** A plan for this container, guest and monitor; everything else is set on the builder. */
    public static Builder builder(String containerId, GuestType guest, MonitorType monitor) {
        return new Builder(containerId, guest, monitor);
    }

    /** This plan with the guest network start found (empty: no NIC). */
    public VmSpec withNet(Optional<GuestNet> guestNet) {
        Builder b = toBuilder();
        b.net = guestNet;
        return b.build();
    }

    private Builder toBuilder() {
        Builder b = new Builder(containerId, guest, monitor)
                .monitorBinary(monitorBinary)
                .kernel(kernel, kernelProfile)
                .initrd(initrd)
                .blocks(blocks)
                .resources(memoryBytes, vcpus)
                .process(args, env, hostname)
                .unikernelVersion(unikernelVersion)
                .workDir(workDir)
                .seccomp(seccomp)
                .accel(accel)
                .vsock(vsock)
                .debug(debug)
                .solo5Devices(solo5Devices)
                .shares(shares);
        b.net = net;
        return b;
    }

    /** Builds a {@link VmSpec}; what is not set takes the record's defaults (none, empty, false). */
    public static final class Builder {
        private final String containerId;
        private final GuestType guest;
        private final MonitorType monitor;
        private Path monitorBinary;
        private Path kernel;
        private KernelProfile kernelProfile;
        private Optional<Path> initrd = Optional.empty();
        private List<BlockDevice> blocks = List.of();
        private long memoryBytes;
        private int vcpus;
        private List<String> args = List.of();
        private List<String> env = List.of();
        private String hostname;
        private Optional<GuestNet> net = Optional.empty();
        private Optional<String> unikernelVersion = Optional.empty();
        private Path workDir;
        private boolean seccomp;
        private Accel accel;
        private Optional<Vsock> vsock = Optional.empty();
        private boolean debug;
        private Solo5DeviceNames solo5Devices = Solo5DeviceNames.DEFAULTS;
        private List<SharedDir> shares = List.of();

        private Builder(String containerId, GuestType guest, MonitorType monitor) {
            this.containerId = containerId;
            this.guest = guest;
            this.monitor = monitor;
        }

        public Builder monitorBinary(Path p) {
            monitorBinary = p;
            return this;
        }

        public Builder kernel(Path p, KernelProfile profile) {
            kernel = p;
            kernelProfile = profile;
            return this;
        }

        public Builder initrd(Optional<Path> p) {
            initrd = p;
            return this;
        }

        public Builder blocks(List<BlockDevice> b) {
            blocks = b;
            return this;
        }

        public Builder resources(long bytes, int cpus) {
            memoryBytes = bytes;
            vcpus = cpus;
            return this;
        }

        /** The application's argv and environment, and the guest's hostname. */
        public Builder process(List<String> argv, List<String> environment, String host) {
            args = argv;
            env = environment;
            hostname = host;
            return this;
        }

        public Builder unikernelVersion(Optional<String> v) {
            unikernelVersion = v;
            return this;
        }

        public Builder workDir(Path p) {
            workDir = p;
            return this;
        }

        public Builder seccomp(boolean on) {
            seccomp = on;
            return this;
        }

        public Builder accel(Accel a) {
            accel = a;
            return this;
        }

        public Builder vsock(Optional<Vsock> v) {
            vsock = v;
            return this;
        }

        public Builder debug(boolean on) {
            debug = on;
            return this;
        }

        public Builder solo5Devices(Solo5DeviceNames names) {
            solo5Devices = names;
            return this;
        }

        public Builder shares(List<SharedDir> s) {
            shares = s;
            return this;
        }

        public VmSpec build() {
            return new VmSpec(
                    containerId,
                    guest,
                    monitor,
                    monitorBinary,
                    kernel,
                    initrd,
                    blocks,
                    memoryBytes,
                    vcpus,
                    args,
                    env,
                    net,
                    unikernelVersion,
                    workDir,
                    seccomp,
                    accel,
                    kernelProfile,
                    vsock,
                    hostname,
                    debug,
                    solo5Devices,
                    shares);
        }
    }
}
