package io.jurunc.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the real kit (scripts/build-kit.sh, default /var/lib/jurunc/kit or -Djurunc.kit=DIR) with
 * a busybox rootfs under QEMU/TCG, and checks that args, env, cwd, uid/gid, hostname and the
 * network configuration arrive intact, that QEMU exits when the app exits and that the app's status
 * arrives on the exit port (io.jurunc.exit). Skipped, with the
 * reason, when the kit, QEMU or busybox is missing.
 */
@Tag("vm")
class GuestBootTest {
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String QEMU = "qemu-system-x86_64";

    @TempDir
    static Path tmp;

    private static Path kitDir;
    private static Path rootfs;

    @BeforeAll
    static void rootfs() throws Exception {
        kitDir = Path.of(System.getProperty("jurunc.kit", GuestKit.DEFAULT_DIR.toString()));
        assumeTrue(
                Files.isRegularFile(kitDir.resolve("kit.json")),
                "no guest kit in " + kitDir + ": build it with scripts/build-kit.sh to run this test");
        assumeTrue(Files.isExecutable(BUSYBOX), "needs busybox-static at " + BUSYBOX);
        assumeTrue(onPath(QEMU), "needs " + QEMU + " (package qemu-system-x86)");
        rootfs = Files.createDirectories(tmp.resolve("rootfs/bin"));
        Files.copy(BUSYBOX, rootfs.resolve("busybox"));
        for (String applet : List.of("sh", "id", "hostname", "ip", "pwd", "printf", "cat")) {
            Files.createSymbolicLink(rootfs.resolve(applet), Path.of("busybox"));
        }
        rootfs = rootfs.getParent();
    }

    private static boolean onPath(String cmd) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, cmd))) {
                return true;
            }
        }
        return false;
    }

    static final String SCRIPT = """
      printf 'arg1=[%s]\\n' "$1"; printf 'arg2=[%s]\\n' "$2"; printf 'foo=[%s]\\n' "$FOO"
      echo "cwd=$(pwd) ids=$(id -u):$(id -g):$(id -G) host=$(hostname)"
      ip -4 addr show eth0 | grep -o 'inet [0-9./]*'; ip route | grep default
      exit 7""";

    private static GuestProcess process() {
        return new GuestProcess(
                List.of("sh", "-c", SCRIPT, "sh", "two words", "it's \"quoted\"\nand a newline"),
                List.of("PATH=/bin", "FOO=a  b 'c'"),
                "/home/app",
                1000,
                1001,
                List.of(10, 20),
                "guest1");
    }

    private static String boot(GuestKit kit, List<String> machine, String netDevice, String extraCmdline)
            throws Exception {
        Path initrd = tmp.resolve("initrd-" + kit.flavor() + ".cpio");
        new InitramfsWriter().write(rootfs, process(), kit, Optional.empty(), initrd);
        List<String> cmd = new ArrayList<>(qemu(
                machine,
                kit,
                initrd,
                "console=ttyS0 panic=-1 reboot=t quiet " + extraCmdline
                        + "rdinit=/jurunc/init ip=10.0.2.15::10.0.2.2:255.255.255.0:guest1:eth0:off"));
        // user-mode networking with restrict=on: the guest NIC exists but reaches nothing
        cmd.addAll(List.of("-netdev", "user,id=n0,restrict=on", "-device", netDevice));
        // every frame the guest sends on its NIC, for assertAnnounced
        cmd.addAll(
                List.of("-object", "filter-dump,id=d0,netdev=n0,file=" + tmp.resolve("net-" + kit.flavor() + ".pcap")));
        cmd.addAll(exitPort(machine.contains("pc") ? "virtio-serial-pci" : "virtio-serial-device", kit.flavor()));
        return run(cmd);
    }

    /**
     * The exit port as jurunc gives it (io.jurunc.exit on a virtio-serial device), its chardev a file
     * here instead of the sandbox init's socket pair: the byte the init wrote lands in it.
     */
    private static List<String> exitPort(String device, KernelFlavor flavor) {
        Path file = tmp.resolve("exit-" + flavor + ".bin");
        return List.of(
                "-chardev",
                "file,id=jexit,path=" + file,
                "-device",
                device,
                "-device",
                "virtserialport,chardev=jexit,name=io.jurunc.exit");
    }

    /**
     * The guest announced its address once its NIC was up: the packet dump of its NIC holds a broadcast
     * ARP request whose sender and target address are both 10.0.2.15 (RFC 5227's announcement), sent by
     * the init without anyone asking (the user-mode network reaches nothing).
     */
    private static void assertAnnounced(KernelFlavor flavor) throws Exception {
        ByteBuffer pcap = ByteBuffer.wrap(Files.readAllBytes(tmp.resolve("net-" + flavor + ".pcap")))
                .order(ByteOrder.LITTLE_ENDIAN);
        byte[] guest = {10, 0, 2, 15};
        byte[] broadcast = {-1, -1, -1, -1, -1, -1};
        List<String> seen = new ArrayList<>();
        for (int at = 24; at + 16 <= pcap.limit(); ) {
            int len = pcap.getInt(at + 8);
            byte[] frame = Arrays.copyOfRange(pcap.array(), at + 16, at + 16 + len);
            at += 16 + len;
            ByteBuffer f = ByteBuffer.wrap(frame);
            if (frame.length < 42 || f.getShort(12) != 0x0806) {
                seen.add("ethertype " + (frame.length >= 14 ? Integer.toHexString(f.getShort(12) & 0xffff) : "?"));
                continue;
            }
            seen.add("arp op " + f.getShort(20));
            if (Arrays.equals(frame, 0, 6, broadcast, 0, 6)
                    && f.getShort(20) == 1
                    && Arrays.equals(frame, 28, 32, guest, 0, 4)
                    && Arrays.equals(frame, 38, 42, guest, 0, 4)) {
                return;
            }
        }
        throw new AssertionError("no ARP announcement of 10.0.2.15 from the guest; frames seen: " + seen);
    }

    private static byte[] exitByte(KernelFlavor flavor) throws Exception {
        return Files.readAllBytes(tmp.resolve("exit-" + flavor + ".bin"));
    }

    /** Runs QEMU to completion (60 s at most) and returns its console output. */
    private static String run(List<String> cmd) throws Exception {
        Path log = Files.createTempFile(tmp, "console", ".log");
        Process qemu = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            assertThat(qemu.waitFor(60, TimeUnit.SECONDS))
                    .as("qemu exits when the app exits; console so far:%n%s", Files.readString(log))
                    .isTrue();
            return Files.readString(log).replace("\r\n", "\n");
        } finally {
            qemu.destroyForcibly().waitFor();
        }
    }

    private static void assertAppRan(String console) {
        assertThat(console)
                .contains(
                        "arg1=[two words]\n",
                        "arg2=[it's \"quoted\"\nand a newline]\n",
                        "foo=[a  b 'c']\n",
                        "cwd=/home/app ids=1000:1001:1001 10 20 host=guest1\n",
                        "inet 10.0.2.15/24\n",
                        "default via 10.0.2.2 dev eth0",
                        "jurunc-init: exit status 7\n");
        assertThat(console).doesNotContain("Restarting system");
    }

    @Test
    void projectKernelBootsOnMicrovm() throws Exception {
        GuestKit kit = GuestKit.load(kitDir);
        assumeTrue(
                kit.flavor() == KernelFlavor.MICROVM,
                "the kit has no project kernel: run scripts/build-kernel.sh, then scripts/build-kit.sh");
        String console =
                boot(kit, List.of("-M", "microvm,x-option-roms=off,acpi=off"), "virtio-net-device,netdev=n0", "");
        assertAppRan(console);
        // nothing but the app's output and the init's exit line: the kernel stays quiet
        assertThat(console.strip()).startsWith("arg1=[two words]");
        assertAnnounced(kit.flavor());
        assertThat(exitByte(kit.flavor()))
                .as("the app's status on the exit port")
                .containsExactly(7);
    }

    @Test
    void debianKernelBootsOnPcWithModules() throws Exception {
        GuestKit kit = GuestKit.loadStandard(kitDir);
        String console = boot(kit, List.of("-M", "pc"), "virtio-net-pci,netdev=n0,romfile=", "");
        assertAppRan(console);
        assertAnnounced(kit.flavor());
        // virtio_console is one of the kit's modules: the init finds the port once it is loaded
        assertThat(exitByte(kit.flavor()))
                .as("the app's status on the exit port")
                .containsExactly(7);
    }

    @Test
    void missingProgramIsReported() throws Exception {
        GuestKit kit = GuestKit.load(kitDir);
        Path initrd = tmp.resolve("initrd-missing.cpio");
        new InitramfsWriter().write(rootfs, GuestProcess.of("no-such-program"), kit, Optional.empty(), initrd);
        List<String> machine = kit.flavor() == KernelFlavor.MICROVM
                ? List.of("-M", "microvm,x-option-roms=off,acpi=off")
                : List.of("-M", "pc");
        String console = run(qemu(machine, kit, initrd, "console=ttyS0 panic=-1 reboot=t quiet rdinit=/jurunc/init"));
        assertThat(console)
                .contains(
                        "jurunc-init: exec no-such-program: No such file or directory", "jurunc-init: exit status 127");
    }

    /** QEMU under TCG on {@code machine} booting the kit's kernel with {@code initrd}, its console on stdout. */
    private static List<String> qemu(List<String> machine, GuestKit kit, Path initrd, String append) {
        return concat(
                List.of(QEMU),
                machine,
                List.of(
                        "-accel",
                        "tcg",
                        "-m",
                        "256",
                        "-nodefaults",
                        "-no-user-config",
                        "-nographic",
                        "-serial",
                        "stdio",
                        "-no-reboot",
                        "-kernel",
                        kit.kernel().toString(),
                        "-initrd",
                        initrd.toString(),
                        "-append",
                        append));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all;
    }
}
