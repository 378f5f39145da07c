package io.jurunc.runtime.vm.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.guest.GuestMount;
import io.jurunc.oci.Spec;
import io.jurunc.runtime.sandbox.LaunchFile;
import io.jurunc.runtime.sandbox.MonitorUser;
import io.jurunc.runtime.vm.Kinds;
import io.jurunc.runtime.vm.Monitors;
import io.jurunc.runtime.vm.MountException;
import io.jurunc.runtime.vm.SharedDir;
import io.jurunc.runtime.vm.TestSpecs;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountPlannerTest {
    @TempDir
    Path tmp;

    /** The mounts containerd's default spec (ctr run) gives every container. */
    static List<Spec.Mount> containerdDefaults() {
        return List.of(
                new Spec.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new Spec.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Spec.Mount("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "gid=5")),
                new Spec.Mount(
                        "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                new Spec.Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new Spec.Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                new Spec.Mount(
                        "/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")),
                new Spec.Mount("/run", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
    }

    private static Spec.Mount bind(Path src, String dst, String... options) {
        return new Spec.Mount(dst, "bind", src.toString(), List.of(options));
    }

    @Test
    void theStandardKernelFilesystemsAreLeftToTheGuestAndTmpfsBecomesAGuestTmpfs() throws Exception {
        MountPlan p = MountPlanner.plan(containerdDefaults(), Kinds.LINUX, Kinds.QEMU);
        assertThat(p.shares()).isEmpty();
        assertThat(p.guestMounts())
                .containsExactly(new GuestMount(
                        GuestMount.Type.TMPFS, "tmpfs", "/run", List.of("nosuid"), "mode=755,size=65536k"));
        assertThat(p.notes()).isEmpty();
    }

    @Test
    void aDirectoryGetsAShareOfItsOwnReadOnlyWhereAsked() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Path logs = Files.createDirectory(tmp.resolve("logs"));
        MountPlan p = MountPlanner.plan(
                List.of(
                        new Spec.Mount("/data", null, data.toString(), List.of("rbind", "ro")),
                        bind(logs, "/var/log/app/", "rbind", "rw", "nosuid")),
                Kinds.LINUX,
                Kinds.QEMU);
        assertThat(p.shares())
                .containsExactly(SharedDir.directory("m0", data, true), SharedDir.directory("m1", logs, false));
        assertThat(p.shares().getFirst().at()).isEqualTo(Path.of("/jurunc/shares/m0"));
        assertThat(p.guestMounts())
                .containsExactly(
                        new GuestMount(GuestMount.Type.NINEP, "m0", "/data", List.of("ro"), ""),
                        new GuestMount(GuestMount.Type.NINEP, "m1", "/var/log/app", List.of("nosuid"), ""));
    }

    @Test
    void filesShareOneDirectoryEachFileBoundAloneAndReadOnlyWhereAsked() throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), "127.0.0.1 localhost\n");
        Path resolv = Files.writeString(tmp.resolve("resolv.conf"), "nameserver 10.0.0.1\n");
        MountPlan p = MountPlanner.plan(
                List.of(
                        bind(hosts, "/etc/hosts", "rbind", "rprivate", "rw"),
                        bind(resolv, "/etc/resolv.conf", "rbind", "ro")),
                Kinds.LINUX,
                Kinds.QEMU);
        assertThat(p.shares())
                .containsExactly(new SharedDir(
                        "files",
                        Path.of("/jurunc/shares/files"),
                        false,
                        List.of(
                                new SharedDir.Bind(hosts, Path.of("/jurunc/shares/files/0"), false),
                                new SharedDir.Bind(resolv, Path.of("/jurunc/shares/files/1"), true))));
        assertThat(p.guestMounts())
                .containsExactly(
                        new GuestMount(GuestMount.Type.FILE, "files/0", "/etc/hosts", List.of(), ""),
                        new GuestMount(GuestMount.Type.FILE, "files/1", "/etc/resolv.conf", List.of("ro"), ""));
    }

    @Test
    void theLaunchFileBindsEachSharedPathAtItsGeneratedPathReadOnlyWhereAsked() throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), "x");
        Path data = Files.createDirectory(tmp.resolve("data"));
        MountPlan p = MountPlanner.plan(
                List.of(bind(hosts, "/etc/hosts"), bind(data, "/data", "ro")), Kinds.LINUX, Kinds.QEMU);
        var vm = TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                .initrd()
                .share(p.shares().get(0))
                .share(p.shares().get(1))
                .build();
        LaunchFile base = new LaunchFile(
                Path.of("/run/c1/root"),
                List.of(),
                List.of(),
                new MonitorUser(1000, 1000, List.of()),
                List.of(),
                List.of("/usr/bin/qemu-system-x86_64"));
        String encoded = new String(
                io.jurunc.runtime.lifecycle.SharesProbe.withShares(base, vm).encode(), StandardCharsets.UTF_8);
        assertThat(encoded)
                .contains("shro=/jurunc/shares/m0=" + data + "\0")
                .contains("shrw=/jurunc/shares/files/0=" + hosts + "\0")
                .contains("procpid=/proc\0")
                .as("a writable share: the monitor keeps the file capabilities, the last record")
                .endsWith("filecaps=1\0");
        var readOnly = TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                .initrd()
                .share(p.shares().get(0))
                .build();
        assertThat(new String(
                        io.jurunc.runtime.lifecycle.SharesProbe.withShares(base, readOnly)
                                .encode(),
                        StandardCharsets.UTF_8))
                .as("no procfs and no capabilities without a writable share")
                .doesNotContain("procpid")
                .doesNotContain("filecaps");
    }

    @Test
    void socketsAndDevicesCannotBeShared() throws Exception {
        Path sock = tmp.resolve("s.sock");
        try (ServerSocketChannel ch = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(sock));
            assertThatThrownBy(() -> MountPlanner.plan(List.of(bind(sock, "/run/s.sock")), Kinds.LINUX, Kinds.QEMU))
                    .isInstanceOfSatisfying(MountException.class, e -> {
                        assertThat(e.reason()).isEqualTo(MountException.Reason.UNSUPPORTED);
                        assertThat(e.destination()).isEqualTo("/run/s.sock");
                    });
        }
        assertThatThrownBy(() ->
                        MountPlanner.plan(List.of(bind(Path.of("/dev/null"), "/dev/mynull")), Kinds.LINUX, Kinds.QEMU))
                .isInstanceOf(MountException.class);
    }

    @Test
    void malformedMountsAreInvalid() {
        for (Spec.Mount m : List.of(
                new Spec.Mount("data", "bind", "/tmp", List.of("rbind")),
                new Spec.Mount("/a/../etc", "bind", "/tmp", List.of("rbind")),
                new Spec.Mount("/a\nb", "tmpfs", "tmpfs", List.of()),
                new Spec.Mount("/data", "bind", "relative/dir", List.of("rbind")),
                new Spec.Mount("/data", "bind", tmp.resolve("missing").toString(), List.of("rbind")))) {
            assertThatThrownBy(() -> MountPlanner.plan(List.of(m), Kinds.LINUX, Kinds.QEMU))
                    .isInstanceOfSatisfying(
                            MountException.class, e -> assertThat(e.reason()).isEqualTo(MountException.Reason.INVALID));
        }
    }

    @Test
    void otherFilesystemTypesAreRefusedForALinuxGuest() {
        assertThatThrownBy(() -> MountPlanner.plan(
                        List.of(new Spec.Mount("/mnt", "nfs", "srv:/x", List.of())), Kinds.LINUX, Kinds.QEMU))
                .isInstanceOfSatisfying(
                        MountException.class, e -> assertThat(e.reason()).isEqualTo(MountException.Reason.UNSUPPORTED));
    }

    @Test
    void unikernelsSkipTheCriFilesAndTmpfsButRefuseOtherBindMounts() throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), "x");
        Path data = Files.createDirectory(tmp.resolve("data"));
        List<Spec.Mount> cri = new java.util.ArrayList<>(containerdDefaults());
        cri.add(bind(hosts, "/etc/hosts", "rbind", "rw"));
        cri.add(bind(hosts, "/dev/termination-log", "rbind", "rw"));
        MountPlan p = MountPlanner.plan(cri, Kinds.UNIKRAFT, Kinds.QEMU);
        assertThat(p.shares()).isEmpty();
        assertThat(p.guestMounts()).isEmpty();
        assertThat(p.notes())
                .hasSize(2)
                .anyMatch(n -> n.startsWith("/etc/hosts:"))
                .anyMatch(n -> n.startsWith("/dev/termination-log:"));
        assertThat(MountPlanner.plan(
                                List.of(new Spec.Mount("/scratch", "tmpfs", "tmpfs", List.of())),
                                Kinds.UNIKRAFT,
                                Kinds.QEMU)
                        .notes())
                .containsExactly("/scratch (tmpfs): skipped for a unikraft guest");
        assertThatThrownBy(() -> MountPlanner.plan(List.of(bind(data, "/data", "ro")), Kinds.UNIKRAFT, Kinds.QEMU))
                .isInstanceOfSatisfying(MountException.class, e -> {
                    assertThat(e.reason()).isEqualTo(MountException.Reason.UNSUPPORTED);
                    assertThat(e.getMessage()).contains("/data").contains("unikraft");
                });
    }

    @Test
    void aLinuxGuestOnAnotherMonitorTakesTmpfsButNoBindMounts() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        assertThat(MountPlanner.plan(containerdDefaults(), Kinds.LINUX, Kinds.FIRECRACKER)
                        .guestMounts())
                .hasSize(1);
        assertThatThrownBy(() -> MountPlanner.plan(List.of(bind(data, "/data")), Kinds.LINUX, Kinds.FIRECRACKER))
                .isInstanceOf(MountException.class);
    }

    @Test
    void theMonitorPlanRefusesSharesForAGuestThatCannotTakeThem() {
        var spec = TestSpecs.of(Kinds.LINUX, Kinds.FIRECRACKER)
                .initrd()
                .share(SharedDir.directory("m0", tmp, true))
                .build();
        assertThatThrownBy(() -> new Monitors().plan(spec))
                .isInstanceOfSatisfying(
                        MountException.class, e -> assertThat(e.reason()).isEqualTo(MountException.Reason.UNSUPPORTED));
    }

    @Test
    void theRootfsShareIsADirectoryWithTheTagRootfs() throws Exception {
        assertThat(MountPlanner.rootfs(tmp, true)).isEqualTo(SharedDir.directory("rootfs", tmp, true));
        assertThatThrownBy(() -> MountPlanner.rootfs(tmp.resolve("none"), false))
                .isInstanceOf(MountException.class);
    }

    @Test
    void aSharedRootfsGetsItsMountPointsOnTheHostButNeverThroughASymlink() throws Exception {
        Path rootfs = Files.createDirectory(tmp.resolve("rootfs"));
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.createDirectory(rootfs.resolve("etc"));
        Files.createSymbolicLink(rootfs.resolve("var"), outside);
        Files.createSymbolicLink(rootfs.resolve("etc/resolv.conf"), Path.of("/run/resolv.conf"));
        List<String> created = RootfsMountPoints.prepare(
                rootfs,
                List.of(
                        new GuestMount(GuestMount.Type.FILE, "files/0", "/etc/hosts", List.of(), ""),
                        new GuestMount(GuestMount.Type.FILE, "files/1", "/etc/resolv.conf", List.of(), ""),
                        new GuestMount(GuestMount.Type.NINEP, "m0", "/data/in", List.of("ro"), ""),
                        new GuestMount(GuestMount.Type.NINEP, "m1", "/var/log", List.of(), "")));
        assertThat(created).containsExactly("proc", "sys", "dev", "etc/hosts", "data", "data/in");
        assertThat(rootfs.resolve("etc/hosts")).isRegularFile();
        assertThat(rootfs.resolve("data/in")).isDirectory();
        assertThat(outside.resolve("log")).doesNotExist();
        assertThat(Files.isSymbolicLink(rootfs.resolve("etc/resolv.conf"))).isTrue();
    }

    @Test
    void aMicrovmLinuxGuestHasRoomForSixVirtioDevicesBesideItsNicAndSerialPorts() throws Exception {
        TestSpecs six = TestSpecs.of(Kinds.LINUX, Kinds.QEMU).microvm().initrd();
        for (int i = 0; i < 6; i++) six.share(SharedDir.directory("m" + i, tmp, true));
        new Monitors().plan(six.build());
        assertThatThrownBy(() -> new Monitors()
                        .plan(six.share(SharedDir.directory("m6", tmp, true)).build()))
                .isInstanceOfSatisfying(MountException.class, e -> {
                    assertThat(e.reason()).isEqualTo(MountException.Reason.UNSUPPORTED);
                    assertThat(e.getMessage())
                            .contains("8 virtio devices")
                            .contains("needs 9")
                            .contains("serial ports");
                });
    }
}
