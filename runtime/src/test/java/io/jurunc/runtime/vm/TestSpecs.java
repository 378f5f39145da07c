package io.jurunc.runtime.vm;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds {@link VmSpec}s for tests: a fixed container with everything off unless asked. */
public final class TestSpecs {
    public static final Path KERNEL = Path.of("/run/c1/rootfs/boot/kernel");
    public static final Path INITRD = Path.of("/run/c1/initrd.cpio");
    public static final Path DISK = Path.of("/run/c1/rootfs.img");
    public static final Path WORK = Path.of("/run/jurunc/c1");
    public static final String MAC = "02:42:0a:04:00:02";

    private GuestType guest;
    private MonitorType monitor;
    private Path binary;
    private Optional<Path> initrd = Optional.empty();
    private final List<BlockDevice> blocks = new ArrayList<>();
    private long memory = 256_000_000L;
    private int vcpus = 1;
    private List<String> args = List.of();
    private List<String> env = List.of();
    private Optional<GuestNet> net = Optional.empty();
    private Optional<String> version = Optional.empty();
    private boolean seccomp;
    private Accel accel = Accel.TCG;
    private KernelProfile profile = KernelProfile.STANDARD;
    private Optional<Vsock> vsock = Optional.empty();
    private boolean debug;
    private String hostname = "c1";

    private TestSpecs(GuestType guest, MonitorType monitor) {
        this.guest = guest;
        this.monitor = monitor;
        this.binary = Path.of("/usr/bin", monitor.binaryName("x86_64"));
    }

    public static TestSpecs of(GuestType guest, MonitorType monitor) {
        return new TestSpecs(guest, monitor);
    }

    public static GuestNet net(String ip, int prefix, String gateway) {
        return new GuestNet("tap0_c1", "eth0", v4(ip), prefix, gateway == null ? null : v4(gateway), MAC, 1500);
    }

    public static Inet4Address v4(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    public TestSpecs binary(Path p) {
        binary = p;
        return this;
    }

    public TestSpecs initrd() {
        return initrd(INITRD);
    }

    public TestSpecs initrd(Path p) {
        initrd = Optional.of(p);
        return this;
    }

    public TestSpecs block() {
        return block(new BlockDevice("rootfs", DISK, null, "ext4"));
    }

    public TestSpecs block(BlockDevice d) {
        blocks.add(d);
        return this;
    }

    public TestSpecs memory(long bytes) {
        memory = bytes;
        return this;
    }

    public TestSpecs vcpus(int n) {
        vcpus = n;
        return this;
    }

    public TestSpecs args(String... a) {
        args = List.of(a);
        return this;
    }

    public TestSpecs env(String... e) {
        env = List.of(e);
        return this;
    }

    public TestSpecs net() {
        return net(net("10.4.0.2", 24, "10.4.0.1"));
    }

    public TestSpecs net(GuestNet n) {
        net = Optional.of(n);
        return this;
    }

    public TestSpecs version(String v) {
        version = Optional.ofNullable(v);
        return this;
    }

    public TestSpecs seccomp() {
        seccomp = true;
        return this;
    }

    public TestSpecs kvm() {
        accel = Accel.KVM;
        return this;
    }

    public TestSpecs microvm() {
        profile = KernelProfile.MICROVM;
        return this;
    }

    public TestSpecs vsock() {
        return vsock(new Vsock(42, null));
    }

    public TestSpecs vsock(Vsock v) {
        vsock = Optional.of(v);
        return this;
    }

    public TestSpecs debug() {
        debug = true;
        return this;
    }

    public TestSpecs solo5Devices(String netName, String blockName) {
        solo5Devices = new Solo5DeviceNames(Optional.ofNullable(netName), Optional.ofNullable(blockName));
        return this;
    }

    private Solo5DeviceNames solo5Devices = Solo5DeviceNames.DEFAULTS;

    public TestSpecs hostname(String h) {
        hostname = h;
        return this;
    }

    public TestSpecs kernel(Path k) {
        kernelPath = k;
        return this;
    }

    public TestSpecs workDir(Path w) {
        workDir = w;
        return this;
    }

    private final List<SharedDir> shares = new ArrayList<>();

    public TestSpecs share(SharedDir d) {
        shares.add(d);
        return this;
    }

    private Path kernelPath = KERNEL;
    private Path workDir = WORK;

    public VmSpec build() {
        return new VmSpec(
                "c1",
                guest,
                monitor,
                binary,
                kernelPath,
                initrd,
                blocks,
                memory,
                vcpus,
                args,
                env,
                net,
                version,
                workDir,
                seccomp,
                accel,
                profile,
                vsock,
                hostname,
                debug,
                solo5Devices,
                shares);
    }
}
