package io.jurunc.runtime.vm.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jurunc.guest.GuestKit;
import io.jurunc.guest.GuestProcess;
import io.jurunc.guest.InitramfsWriter;
import io.jurunc.guest.KernelFlavor;
import io.jurunc.runtime.vm.Kinds;
import io.jurunc.runtime.vm.MonitorLocator;
import io.jurunc.runtime.vm.Monitors;
import io.jurunc.runtime.vm.TestSpecs;
import io.jurunc.runtime.vm.VmSpec;
import io.jurunc.runtime.vm.kvm.ProbeRunner;
import io.jurunc.runtime.vm.kvm.ProcessProbeRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the guest kit's kernels with the exact argv and command line {@link Monitors#plan} builds
 * (QEMU/TCG, seccomp, a tap in a netns): the guest init must take the {@code ip=} configuration,
 * run the app from the initramfs and make QEMU exit. Skipped without the kit (scripts/build-kit.sh),
 * busybox or root.
 */
@Tag("vm")
class LinuxBootRealTest {
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String NETNS =
            "jurunc-vmboot-" + ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    @Test
    void microvmKernel_bootsWithThePlannedArgv() throws Exception {
        GuestKit kit = kit(false);
        assumeTrue(kit.flavor() == KernelFlavor.MICROVM, "the kit has no project (microvm) kernel");
        bootAndCheck(kit, true);
    }

    @Test
    void standardKernel_bootsWithThePlannedArgv() throws Exception {
        bootAndCheck(kit(true), false);
    }

    private static GuestKit kit(boolean standard) throws Exception {
        Path dir = Path.of(System.getProperty("jurunc.kit", GuestKit.DEFAULT_DIR.toString()));
        assumeTrue(Files.isRegularFile(dir.resolve("kit.json")), "no guest kit in " + dir);
        return standard ? GuestKit.loadStandard(dir) : GuestKit.load(dir);
    }

    private void bootAndCheck(GuestKit kit, boolean microvm) throws Exception {
        assumeTrue(Files.isExecutable(BUSYBOX), "needs busybox-static");
        assumeTrue("root".equals(System.getProperty("user.name")), "a tap in a netns needs root");
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs/bin"));
        Files.copy(BUSYBOX, rootfs.resolve("busybox"));
        for (String applet : List.of("sh", "ip", "grep")) {
            Files.createSymbolicLink(rootfs.resolve(applet), Path.of("busybox"));
        }
        Path initrd = tmp.resolve("initrd.cpio");
        GuestProcess process = new GuestProcess(
                List.of("sh", "-c", "ip -4 addr show eth0 | grep -o 'inet [0-9./]*'; exit 3"),
                List.of("PATH=/bin"),
                "/",
                0,
                0,
                List.of(),
                "c1");
        new InitramfsWriter().write(tmp.resolve("rootfs"), process, kit, Optional.empty(), initrd);

        TestSpecs s = TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                .binary(MonitorLocator.forThisHost(Map.of()).locate(Kinds.QEMU))
                .kernel(kit.kernel())
                .initrd(initrd)
                .workDir(tmp)
                .net()
                .seccomp();
        VmSpec spec = (microvm ? s.microvm() : s).build();
        Path exitPort = tmp.resolve("exit-port");
        List<String> argv = ExitPortFile.redirect(new Monitors().plan(spec).argv(), exitPort);

        ProbeRunner.Outcome o;
        sh("ip", "netns", "add", NETNS);
        try {
            sh("ip", "-n", NETNS, "tuntap", "add", "dev", "tap0_c1", "mode", "tap");
            sh("ip", "-n", NETNS, "link", "set", "tap0_c1", "up");
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NETNS));
            cmd.addAll(argv);
            o = new ProcessProbeRunner(tmp).run(cmd, Duration.ofSeconds(90));
        } finally {
            sh("ip", "netns", "del", NETNS);
        }
        assertThat(o.timedOut())
                .as("QEMU exits when the app exits:%n%s", o.output())
                .isFalse();
        assertThat(o.output()).contains("inet 10.4.0.2/24", "exit status 3");
        assertThat(Files.readAllBytes(exitPort))
                .as("the init reports the app's status on the exit port")
                .containsExactly((byte) 3);
    }

    private static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}
