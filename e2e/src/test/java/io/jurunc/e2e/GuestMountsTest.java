package io.jurunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.Command;
import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.E2eEnvironment;
import io.jurunc.e2e.support.HandMadeBundle;
import io.jurunc.e2e.support.Jurunc;
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.OnE2eEnvironment;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.support.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.mounts and the rootfs modes of a Linux microVM on QEMU (issue 12, items 1 and 2), through
 * {@code ctr run --runc-binary jurunc --mount ...}: directories and files shared over virtio-9p by the
 * confined monitor, {@code ro} honoured, a read-write directory writing back to the host, tmpfs, a
 * rootfs shared instead of packed ({@code com.urunc.unikernel.mountRootfs=true}), and a block rootfs
 * reached by our init from a boot-only initramfs. Shared host paths must be readable by the monitor's
 * own uid (docs/security.md): the test's sources are 0755/0644, the read-write one 0777.
 */
@E2E
class GuestMountsTest extends OnE2eEnvironment {

    private static final String PREFIX = "com.urunc.unikernel.";
    private final Leftovers leftovers = Leftovers.system();
    private final RealHost host = new RealHost();

    GuestMountsTest() {
        super(() -> E2eEnvironment.start("hello"));
    }

    private static Path shared(Path dir, String mode) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        return dir;
    }

    private CommandResult sh(String id, String script, String... flags) {
        CommandResult run = env.ctr()
                .run(env.juruncRun("hello", id, "/bin/busybox", "sh", "-c", script)
                        .withFlag(flags)
                        .withRm()
                        .withTimeout(Duration.ofSeconds(180)));
        assertThat(leftovers.find(env.scope(id))).as(run.describe()).isEmpty();
        return run;
    }

    @Test
    void aReadOnlyDirectoryAndAFileAreReadableAndCannotBeWritten(@TempDir Path tmp) throws IOException {
        Path dir = shared(tmp.resolve("data"), "rwxr-xr-x");
        Files.writeString(dir.resolve("f"), "from the host\n");
        Path file = Files.writeString(tmp.resolve("greeting"), "a single file\n");
        String id = E2eEnvironment.newId("mnt-ro");
        CommandResult run = sh(
                id,
                "cat /data/f /etc/greeting; "
                        + "(echo x > /data/new) 2>/dev/null && echo DIR-WRITABLE || echo DIR-READONLY; "
                        + "(echo x >> /etc/greeting) 2>/dev/null && echo FILE-WRITABLE || echo FILE-READONLY; "
                        + "grep -E ' /data | /etc/greeting ' /proc/mounts",
                "--mount",
                "type=bind,src=" + dir + ",dst=/data,options=rbind:ro",
                "--mount",
                "type=bind,src=" + file + ",dst=/etc/greeting,options=rbind:ro");

        assertThat(run.succeeded()).as(run.describe()).isTrue();
        assertThat(run.stdout())
                .as(run.describe())
                .contains("from the host", "a single file", "DIR-READONLY", "FILE-READONLY")
                .containsPattern("m0 /data 9p ro")
                .containsPattern("/etc/greeting 9p ro");
        assertThat(dir.resolve("new")).doesNotExist();
        assertThat(Files.readString(file)).isEqualTo("a single file\n");
    }

    @Test
    void aReadWriteDirectoryWritesBackToTheHost(@TempDir Path tmp) throws IOException {
        Path dir = shared(tmp.resolve("out"), "rwxrwxrwx");
        String id = E2eEnvironment.newId("mnt-rw");
        CommandResult run = sh(
                id,
                "echo written by the guest > /out/result && echo WROTE",
                "--mount",
                "type=bind,src=" + dir + ",dst=/out,options=rbind:rw");

        assertThat(run.succeeded()).as(run.describe()).isTrue();
        assertThat(run.stdout()).as(run.describe()).contains("WROTE");
        assertThat(Files.readString(dir.resolve("result"))).isEqualTo("written by the guest\n");
    }

    @Test
    void aTmpfsMountIsATmpfsWithItsOptions() {
        String id = E2eEnvironment.newId("mnt-tmpfs");
        CommandResult run = sh(
                id,
                "grep ' /scratch ' /proc/mounts; echo data > /scratch/f && cat /scratch/f",
                "--mount",
                "type=tmpfs,src=tmpfs,dst=/scratch,options=size=2m:nosuid");

        assertThat(run.succeeded()).as(run.describe()).isTrue();
        assertThat(run.stdout())
                .as(run.describe())
                .containsPattern("tmpfs /scratch tmpfs rw,nosuid,.*size=2048k")
                .contains("data");
    }

    /** The rootfs is shared, not packed: the guest's / is the 9p share of the snapshot, and a bind mount still works. */
    @Test
    void mountRootfsSharesTheContainerRootfsInsteadOfPackingIt(@TempDir Path tmp) throws IOException {
        Path dir = shared(tmp.resolve("data"), "rwxr-xr-x");
        Files.writeString(dir.resolve("f"), "shared next to a shared rootfs\n");
        String id = E2eEnvironment.newId("mnt-rootfs");
        CommandResult run = sh(
                id,
                "grep -E ' / | /data ' /proc/mounts; cat /data/f; ls /bin",
                "--annotation",
                PREFIX + "unikernelType=linux",
                "--annotation",
                PREFIX + "hypervisor=qemu",
                "--annotation",
                PREFIX + "mountRootfs=true",
                "--mount",
                "type=bind,src=" + dir + ",dst=/data,options=rbind:ro");

        assertThat(run.succeeded()).as(run.describe()).isTrue();
        assertThat(run.stdout())
                .as(run.describe())
                .containsPattern("rootfs / 9p ")
                .containsPattern("m0 /data 9p ro")
                .contains("shared next to a shared rootfs", "busybox");
    }

    /**
     * The guest's root owns its shared rootfs as it would under runc (issue 12): it creates a file in a
     * root-owned directory and chowns another to 1234:1234, and the host sees both in the container's
     * rootfs with those owners (QEMU's 9p passthrough, the monitor keeping the four file
     * capabilities); a read-only rootfs still refuses writes. Driven through the CLI, so the rootfs is
     * a directory the test can look into afterwards.
     */
    @Test
    void theGuestsRootWritesAndChownsInItsSharedRootfsWithItsOwnersOnTheHost(@TempDir Path tmp) throws IOException {
        Map<String, String> annotations = Map.of(
                PREFIX + "unikernelType", "linux", PREFIX + "hypervisor", "qemu", PREFIX + "mountRootfs", "true");
        Path bundle = HandMadeBundle.write(
                tmp.resolve("bundle"),
                annotations,
                List.of(
                        "/bin/busybox",
                        "sh",
                        "-c",
                        "echo by the guest > /etc/written-by-guest && echo x > /etc/chowned"
                                + " && chown 1234:1234 /etc/chowned && chmod 0640 /etc/chowned && echo WROTE;"
                                + " ls -ln /etc"));
        withoutPidNamespace(bundle.resolve("config.json"));
        Path etc = shared(bundle.resolve("rootfs/etc"), "rwxr-xr-x");
        CommandResult run = runCli(bundle, Files.createDirectories(tmp.resolve("root")), "rootfs-rw");

        assertThat(run.succeeded()).as(run.describe()).isTrue();
        assertThat(run.stdout()).as(run.describe()).contains("WROTE");
        assertThat(Files.readString(etc.resolve("written-by-guest"))).isEqualTo("by the guest\n");
        assertThat(owners(etc.resolve("written-by-guest"))).as(run.describe()).isEqualTo("0:0");
        assertThat(owners(etc.resolve("chowned"))).as(run.describe()).isEqualTo("1234:1234");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(etc.resolve("chowned"))))
                .isEqualTo("rw-r-----");

        Path roBundle = HandMadeBundle.write(
                tmp.resolve("ro-bundle"),
                annotations,
                List.of(
                        "/bin/busybox",
                        "sh",
                        "-c",
                        "(echo x > /etc/refused) 2>/dev/null && echo RO-WRITABLE || echo RO-REFUSED"));
        withoutPidNamespace(roBundle.resolve("config.json"));
        readOnlyRoot(roBundle.resolve("config.json"));
        Path roEtc = shared(roBundle.resolve("rootfs/etc"), "rwxr-xr-x");
        CommandResult ro = runCli(roBundle, Files.createDirectories(tmp.resolve("ro-root")), "rootfs-ro");

        assertThat(ro.succeeded()).as(ro.describe()).isTrue();
        assertThat(ro.stdout()).as(ro.describe()).contains("RO-REFUSED").doesNotContain("RO-WRITABLE");
        assertThat(roEtc.resolve("refused")).doesNotExist();
    }

    private CommandResult runCli(Path bundle, Path root, String name) {
        String id = E2eEnvironment.newId(name);
        CommandResult run = host.run(
                Command.of(Jurunc.cli().toString(), "--root", root.toString(), "run", "--bundle", bundle.toString(), id)
                        .withTimeout(Duration.ofSeconds(180)));
        assertThat(leftovers.find(Leftovers.Scope.of(id, root.resolve(id))))
                .as(run.describe())
                .isEmpty();
        return run;
    }

    private static String owners(Path p) throws IOException {
        return Files.getAttribute(p, "unix:uid") + ":" + Files.getAttribute(p, "unix:gid");
    }

    private static void readOnlyRoot(Path config) throws IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(config.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("root")).put("readonly", true);
        json.writeValue(config.toFile(), root);
    }

    /**
     * A block rootfs (com.urunc.unikernel.block, an ext4 image in the rootfs): our init comes in a
     * boot-only initramfs, mounts /dev/vda and switches to it; the container's args, env and mounts
     * come from the process file, not the kernel command line. Driven through the CLI directly.
     */
    @Test
    void aBlockRootfsBootsThroughOurInit(@TempDir Path tmp) throws IOException {
        Path disk = Files.createDirectories(tmp.resolve("disk/bin"));
        Files.copy(TestImages.BUSYBOX, disk.resolve("busybox"));
        Path bundle = HandMadeBundle.write(
                tmp.resolve("bundle"),
                Map.of(
                        PREFIX + "unikernelType",
                        "linux",
                        PREFIX + "hypervisor",
                        "qemu",
                        PREFIX + "block",
                        "/disk.ext4"),
                List.of(
                        "/bin/busybox",
                        "sh",
                        "-c",
                        "grep ' / ' /proc/mounts; echo \"args: $0 $1\"",
                        "one",
                        "two words"));
        withoutPidNamespace(bundle.resolve("config.json"));
        host.run(Command.of(
                        "mkfs.ext4",
                        "-q",
                        "-d",
                        disk.getParent().toString(),
                        bundle.resolve("rootfs/disk.ext4").toString(),
                        "32M"))
                .requireSuccess();
        Path root = Files.createDirectories(tmp.resolve("root"));
        String id = E2eEnvironment.newId("blockroot");
        CommandResult run = host.run(
                Command.of(Jurunc.cli().toString(), "--root", root.toString(), "run", "--bundle", bundle.toString(), id)
                        .withTimeout(Duration.ofSeconds(180)));

        assertThat(run.succeeded()).as(run.describe()).isTrue();
        assertThat(run.stdout())
                .as(run.describe())
                .containsPattern("/dev/vda / ext4 rw")
                .contains("args: one two words");
        assertThat(leftovers.find(Leftovers.Scope.of(id, root.resolve(id))))
                .as(run.describe())
                .isEmpty();
    }

    /**
     * This test is about the rootfs, so it keeps the monitor in the host's pid namespace: a foreground
     * {@code jurunc run} of a bundle with a pid namespace printed nothing while the pid-namespace work
     * was in progress (the guest's output is what this test reads).
     */
    private static void withoutPidNamespace(Path config) throws IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(config.toFile());
        var namespaces = (com.fasterxml.jackson.databind.node.ArrayNode)
                root.path("linux").path("namespaces");
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            if ("pid".equals(namespaces.get(i).path("type").asText())) {
                namespaces.remove(i);
            }
        }
        json.writeValue(config.toFile(), root);
    }

    /** Kubernetes-style file mounts of /etc/hosts and /etc/resolv.conf (rw, root-owned 0644, as the CRI makes them). */
    @Test
    void criStyleEtcFilesReplaceTheImagesOwn(@TempDir Path tmp) throws IOException {
        Path hosts = Files.writeString(tmp.resolve("hosts"), "127.0.0.1 localhost\n10.1.2.3 my-service\n");
        Path resolv = Files.writeString(tmp.resolve("resolv.conf"), "nameserver 10.96.0.10\nsearch default.svc\n");
        Path hostname = Files.writeString(tmp.resolve("hostname"), "pod-a\n");
        String id = E2eEnvironment.newId("mnt-etc");
        CommandResult run = sh(
                id,
                "cat /etc/hosts /etc/resolv.conf /etc/hostname",
                "--mount",
                "type=bind,src=" + hosts + ",dst=/etc/hosts,options=rbind:rprivate:rw",
                "--mount",
                "type=bind,src=" + resolv + ",dst=/etc/resolv.conf,options=rbind:rprivate:rw",
                "--mount",
                "type=bind,src=" + hostname + ",dst=/etc/hostname,options=rbind:rprivate:rw");

        assertThat(run.succeeded()).as(run.describe()).isTrue();
        assertThat(run.stdout()).as(run.describe()).contains("10.1.2.3 my-service", "nameserver 10.96.0.10", "pod-a");
    }
}
