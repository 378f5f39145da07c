package io.jurunc.runtime.vm;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds {@link VmSpec}s for tests through {@link VmSpec#builder}: a fixed container with everything
 * off unless asked; block devices and shares accumulate.
 */
public final class TestSpecs {
    public static final Path KERNEL = Path.of("/run/c1/rootfs/boot/kernel");
    public static final Path INITRD = Path.of("/run/c1/initrd.cpio");
    public static final Path DISK = Path.of("/run/c1/rootfs.img");
    public static final Path WORK = Path.of("/run/jurunc/c1");
    public static final String MAC = "02:42:0a:04:00:02";

    private final VmSpec.Builder spec;
    private final List<BlockDevice> blocks = new ArrayList<>();
    private final List<SharedDir> shares = new ArrayList<>();
    private Path kernel = KERNEL;
    private KernelProfile profile = KernelProfile.STANDARD;
    private long memory = 256_000_000L;
    private int vcpus = 1;
    private List<String> args = List.of();
    private List<String> env = List.of();
    private String hostname = "c1";
    private Optional<GuestNet> net = Optional.empty();

    private TestSpecs(GuestType guest, MonitorType monitor) {
        spec = VmSpec.builder("c1", guest, monitor)
                .monitorBinary(Path.of("/usr/bin", monitor.binaryName("x86_64")))
                .workDir(WORK)
                .accel(Accel.TCG);
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
        spec.monitorBinary(p);
        return this;
    }

    public TestSpecs kernel(Path k) {
        kernel = k;
        return this;
    }

    public TestSpecs microvm() {
        profile = KernelProfile.MICROVM;
        return this;
    }

    public TestSpecs initrd() {
        return initrd(INITRD);
    }

    public TestSpecs initrd(Path p) {
        spec.initrd(Optional.of(p));
        return this;
    }

    public TestSpecs block() {
        return block(new BlockDevice("rootfs", DISK, null, "ext4"));
    }

    public TestSpecs block(BlockDevice d) {
        blocks.add(d);
        return this;
    }

    public TestSpecs share(SharedDir d) {
        shares.add(d);
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

    public TestSpecs hostname(String h) {
        hostname = h;
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
        spec.unikernelVersion(Optional.ofNullable(v));
        return this;
    }

    public TestSpecs seccomp() {
        spec.seccomp(true);
        return this;
    }

    public TestSpecs kvm() {
        spec.accel(Accel.KVM);
        return this;
    }

    public TestSpecs vsock() {
        return vsock(new Vsock(42, null));
    }

    public TestSpecs vsock(Vsock v) {
        spec.vsock(Optional.of(v));
        return this;
    }

    public TestSpecs debug() {
        spec.debug(true);
        return this;
    }

    public TestSpecs solo5Devices(String netName, String blockName) {
        spec.solo5Devices(new Solo5DeviceNames(Optional.ofNullable(netName), Optional.ofNullable(blockName)));
        return this;
    }

    public TestSpecs workDir(Path w) {
        spec.workDir(w);
        return this;
    }

    public VmSpec build() {
        return spec.kernel(kernel, profile)
                .blocks(blocks)
                .shares(shares)
                .resources(memory, vcpus)
                .process(args, env, hostname)
                .build()
                .withNet(net);
    }
}
