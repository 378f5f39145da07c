package io.jurunc.runtime.vm.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jurunc.runtime.vm.BlockDevice;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.Kinds;
import io.jurunc.runtime.vm.MonitorLocator;
import io.jurunc.runtime.vm.Monitors;
import io.jurunc.runtime.vm.TestSpecs;
import io.jurunc.runtime.vm.VmSpec;
import io.jurunc.runtime.vm.kvm.ProbeKernel;
import io.jurunc.runtime.vm.kvm.ProbeRunner;
import io.jurunc.runtime.vm.kvm.ProcessProbeRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the QEMU argv the builder produces with this host's real QEMU under TCG, booting the KVM
 * probe's tiny guest in place of the kernel: QEMU must accept every option (machine, display,
 * sandbox, initrd, block devices, guest fragments) and the guest must reach its exit port.
 */
class QemuArgvRealTest {
    @TempDir
    static Path dir;

    record Case(String name, Function<TestSpecs, TestSpecs> shape, GuestType guest) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(
                        "linux microvm initrd block seccomp 2 vcpus",
                        s -> s.microvm().initrd().block().seccomp().vcpus(2),
                        Kinds.LINUX),
                new Case("linux pc block seccomp", s -> s.block().seccomp(), Kinds.LINUX),
                new Case("hermit initrd (TCG cpu model, debug-exit device)", s -> s.initrd(), Kinds.HERMIT),
                new Case("mewz (its debug-exit device)", s -> s, Kinds.MEWZ),
                new Case("unikraft initrd seccomp", s -> s.initrd().seccomp(), Kinds.UNIKRAFT),
                new Case("mirage block", s -> s.block(), Kinds.MIRAGE),
                new Case(
                        "linux microvm net (tap in a netns)",
                        s -> s.microvm().initrd().net(),
                        Kinds.LINUX),
                new Case("linux pc net (tap in a netns)", s -> s.initrd().net(), Kinds.LINUX),
                new Case("mewz net (tap in a netns)", s -> s.net(), Kinds.MEWZ),
                new Case("hermit net (tap in a netns)", s -> s.initrd().net(), Kinds.HERMIT),
                new Case("unikraft net (tap in a netns)", s -> s.initrd().net(), Kinds.UNIKRAFT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void builtArgv_runsUnderRealQemu(Case c) throws Exception {
        Path qemu = MonitorLocator.forThisHost(Map.of()).locate(Kinds.QEMU);
        Path kernel = dir.resolve("probe.bin");
        Files.write(kernel, ProbeKernel.image());
        Path initrd = Files.writeString(dir.resolve("initrd"), "initrd");
        Path disk = dir.resolve("disk.img");
        Files.write(disk, new byte[1 << 20]);
        TestSpecs s = TestSpecs.of(c.guest(), Kinds.QEMU)
                .binary(qemu)
                .kernel(kernel)
                .workDir(dir)
                .memory(64_000_000L)
                .args("app");
        s = c.shape().apply(s);
        VmSpec spec = s.build();
        if (spec.initrd().isPresent()) {
            spec = withPaths(spec, initrd, List.of());
        }
        if (!spec.blocks().isEmpty()) {
            spec = withPaths(spec, spec.initrd().orElse(null), List.of(new BlockDevice("rootfs", disk, null, null)));
        }

        List<String> argv =
                new ArrayList<>(ExitPortFile.redirect(new Monitors().plan(spec).argv(), dir.resolve("exit-port")));
        if (!argv.contains(ProbeKernel.DEBUG_EXIT_DEVICE)) {
            argv.addAll(List.of("-device", ProbeKernel.DEBUG_EXIT_DEVICE));
        }
        if (spec.net().isPresent()) {
            argv = inNetnsWithTap(spec.net().get().tapName(), argv);
        }
        ProbeRunner.Outcome o;
        try {
            o = new ProcessProbeRunner(dir).run(argv, Duration.ofSeconds(20));
        } finally {
            if (spec.net().isPresent()) {
                sh("ip", "netns", "del", NETNS);
            }
        }
        assertThat(o.timedOut()).as("%s%n%s", argv, o.output()).isFalse();
        assertThat(o.exitStatus()).as("%s%n%s", argv, o.output()).isEqualTo(ProbeKernel.EXIT_STATUS);
    }

    private static final String NETNS =
            "jurunc-vmtest-" + ProcessHandle.current().pid();

    /** Creates a netns holding the tap and returns argv wrapped in {@code ip netns exec}. */
    private static List<String> inNetnsWithTap(String tap, List<String> argv) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "a tap in a netns needs root");
        sh("ip", "netns", "add", NETNS);
        sh("ip", "-n", NETNS, "tuntap", "add", "dev", tap, "mode", "tap");
        sh("ip", "-n", NETNS, "link", "set", tap, "up");
        List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", NETNS));
        wrapped.addAll(argv);
        return wrapped;
    }

    private static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    private static VmSpec withPaths(VmSpec v, Path initrd, List<BlockDevice> blocks) {
        return new VmSpec(
                v.containerId(),
                v.guest(),
                v.monitor(),
                v.monitorBinary(),
                v.kernel(),
                java.util.Optional.ofNullable(initrd),
                blocks,
                v.memoryBytes(),
                v.vcpus(),
                v.args(),
                v.env(),
                v.net(),
                v.unikernelVersion(),
                v.workDir(),
                v.seccomp(),
                v.accel(),
                v.kernelProfile(),
                v.vsock(),
                v.hostname(),
                v.debug(),
                v.solo5Devices(),
                v.shares());
    }
}
