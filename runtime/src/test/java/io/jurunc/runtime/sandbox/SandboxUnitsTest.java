package io.jurunc.runtime.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxUnitsTest {
    @TempDir
    Path tmp;

    @Test
    void theLaunchFileIsNulSeparatedAndRefusesNulsAndRelativePaths() {
        MonitorUser u = new MonitorUser(1000, 1000, List.of(108));
        LaunchFile f = new LaunchFile(
                Path.of("/s/root"),
                List.of(new LaunchFile.Mount(LaunchFile.Kind.ROX, Path.of("/usr"))),
                List.of(Path.of("/lib")),
                u,
                List.of("PATH=/usr/bin"),
                List.of("/usr/bin/qemu", "-append", "a b\nc"));
        assertThat(new String(f.encode()))
                .isEqualTo("root=/s/root\0rox=/usr\0hostlink=/lib\0uid=1000\0gid=1000\0group=108\0"
                        + "env=PATH=/usr/bin\0arg=/usr/bin/qemu\0arg=-append\0arg=a b\nc\0");
        assertThatThrownBy(
                        () -> new LaunchFile(Path.of("/r"), List.of(), List.of(), u, List.of(), List.of("/q", "a\0b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LaunchFile(Path.of("/r"), List.of(), List.of(), u, List.of(), List.of("qemu")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LaunchFile.Mount(LaunchFile.Kind.RO, Path.of("rel")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theExitDescriptorIsTheLastRecordKeptByWithMountsAndIn3To255() {
        MonitorUser u = new MonitorUser(1000, 1000, List.of());
        LaunchFile f = new LaunchFile(Path.of("/r"), List.of(), List.of(), u, List.of(), List.of("/q"))
                .withExitFd(3)
                .withMounts(List.of(new LaunchFile.Mount(LaunchFile.Kind.RO, Path.of("/k"))));
        assertThat(new String(f.encode())).isEqualTo("root=/r\0ro=/k\0uid=1000\0gid=1000\0arg=/q\0exitfd=3\0");
        LaunchFile none = new LaunchFile(Path.of("/r"), List.of(), List.of(), u, List.of(), List.of("/q"));
        assertThat(new String(none.encode())).doesNotContain("exitfd");
        assertThatThrownBy(() -> none.withExitFd(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> none.withExitFd(256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fileCapabilitiesAreTheLastRecordKeptByTheOtherWithersAndNeedAReadWriteShare() {
        MonitorUser u = new MonitorUser(1000, 1000, List.of());
        LaunchFile plain = new LaunchFile(Path.of("/r"), List.of(), List.of(), u, List.of(), List.of("/q"));
        assertThat(plain.fileCapabilities()).isFalse();
        assertThat(new String(plain.encode())).doesNotContain("filecaps");
        assertThatThrownBy(plain::withFileCapabilities)
                .as("nothing for the capabilities to act on")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plain.withMounts(List.of(
                                new LaunchFile.Mount(LaunchFile.Kind.SHARE_RO, Path.of("/c/rootfs"), Path.of("/s/r"))))
                        .withFileCapabilities())
                .as("a read-only share needs no capabilities")
                .isInstanceOf(IllegalArgumentException.class);
        LaunchFile f = plain.withMounts(
                        List.of(new LaunchFile.Mount(LaunchFile.Kind.SHARE_RW, Path.of("/c/rootfs"), Path.of("/s/r"))))
                .withFileCapabilities()
                .withExitFd(3);
        assertThat(new String(f.encode()))
                .isEqualTo("root=/r\0shrw=/s/r=/c/rootfs\0uid=1000\0gid=1000\0arg=/q\0exitfd=3\0filecaps=1\0");
        assertThat(f.withMounts(List.of(
                                new LaunchFile.Mount(LaunchFile.Kind.SHARE_RW, Path.of("/c/v"), Path.of("/s/v"))))
                        .fileCapabilities())
                .isTrue();
    }

    @Test
    void theMonitorUserIsNeverRoot() {
        assertThatThrownBy(() -> new MonitorUser(0, 5, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MonitorUser(5, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MonitorUser(5, 5, List.of(0))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new MonitorUser(5, 5, List.of())
                        .withGroup(0)
                        .withGroup(5)
                        .withGroup(108)
                        .groups())
                .containsExactly(108);
    }

    @Test
    void idsAreUniqueUntilReleasedAndARangeRunsOut() throws Exception {
        IdAllocator ids = new IdAllocator(tmp.resolve("ids"));
        assertThat(ids.allocate("uid", 100, 2, "a")).isEqualTo(100);
        assertThat(ids.allocate("uid", 100, 2, "b")).isEqualTo(101);
        assertThat(ids.allocate("uid", 100, 2, "a")).isEqualTo(100); // a retry of the same container
        assertThatThrownBy(() -> ids.allocate("uid", 100, 2, "c"))
                .isInstanceOf(SandboxSetupException.class)
                .hasMessageContaining("no free uid");
        ids.release("uid", 100, "b"); // not b's: left alone
        assertThatThrownBy(() -> ids.allocate("uid", 100, 2, "c")).isInstanceOf(SandboxSetupException.class);
        ids.release("uid", 100, "a");
        assertThat(ids.allocate("uid", 100, 2, "c")).isEqualTo(100);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("ids/uid"))))
                .isEqualTo("rwx------");
    }

    @Test
    void cgroupPathsAreCheckedAndTheSystemdFormIsMapped() throws Exception {
        assertThat(Cgroup.relativePath("/default/c1")).isEqualTo(Path.of("default/c1"));
        assertThat(Cgroup.relativePath("system.slice:cri-containerd:abc"))
                .isEqualTo(Path.of("system.slice/cri-containerd-abc.scope"));
        assertThatThrownBy(() -> Cgroup.relativePath("/a/../../etc")).isInstanceOf(SandboxSetupException.class);
        assertThatThrownBy(() -> Cgroup.relativePath("/")).isInstanceOf(SandboxSetupException.class);
        assertThatThrownBy(() -> Cgroup.relativePath("/a b")).isInstanceOf(SandboxSetupException.class);
    }

    @Test
    void aV2CgroupGetsMemoryAndCpuLimits() throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("cg"));
        Files.writeString(mount.resolve("cgroup.controllers"), "cpu memory pids");
        Files.writeString(mount.resolve("cgroup.subtree_control"), "");
        Files.createDirectories(mount.resolve("default"));
        Files.writeString(mount.resolve("default/cgroup.subtree_control"), "memory cpu");
        Cgroup cg = Cgroup.create(
                mount,
                "/default/c1",
                new CgroupLimits(OptionalLong.of(1 << 20), OptionalLong.of(50_000), OptionalLong.of(100_000)));
        assertThat(cg.dirs()).containsExactly(mount.resolve("default/c1"));
        assertThat(Files.readString(mount.resolve("default/c1/memory.max"))).isEqualTo("1048576");
        assertThat(Files.readString(mount.resolve("default/c1/cpu.max"))).isEqualTo("50000 100000");
        // a plain file keeps the last write: +memory, +cpu, then +pids, which the root offers (io it does not)
        assertThat(Files.readString(mount.resolve("cgroup.subtree_control"))).isEqualTo("+pids");
        assertThat(Files.readString(mount.resolve("default/cgroup.subtree_control")))
                .isEqualTo("memory cpu");
        cg.enter(4242);
        assertThat(Files.readString(mount.resolve("default/c1/cgroup.procs"))).isEqualTo("4242");
    }

    @Test
    void aV1HostGetsTheSamePathInTheMemoryAndCpuHierarchies() throws Exception {
        Path mount = tmp.resolve("cg1");
        Files.createDirectories(mount.resolve("memory"));
        Files.createDirectories(mount.resolve("cpu"));
        Cgroup cg = Cgroup.create(
                mount,
                "/default/c2",
                new CgroupLimits(OptionalLong.of(4096), OptionalLong.empty(), OptionalLong.empty()));
        assertThat(cg.dirs()).containsExactly(mount.resolve("memory/default/c2"), mount.resolve("cpu/default/c2"));
        assertThat(Files.readString(mount.resolve("memory/default/c2/memory.limit_in_bytes")))
                .isEqualTo("4096");
        assertThat(mount.resolve("cpu/default/c2/cpu.cfs_quota_us")).doesNotExist();
    }

    @Test
    void grantingGivesUnreadableFilesToTheMonitorAndRefusesLinks() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
        MonitorUser u = new MonitorUser(1_000_000_123, 1_000_000_123, List.of());
        Path open = Files.writeString(tmp.resolve("kernel"), "k");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        FileGrant.grant(open, false, u);
        assertThat((Integer) Files.getAttribute(open, "unix:uid")).isZero(); // other can read it: left alone
        Path secret = Files.writeString(tmp.resolve("initrd"), "i");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        FileGrant.grant(secret, false, u);
        assertThat((Integer) Files.getAttribute(secret, "unix:uid")).isEqualTo(1_000_000_123);
        FileGrant.grant(open, true, u); // a block image the monitor writes
        assertThat((Integer) Files.getAttribute(open, "unix:uid")).isEqualTo(1_000_000_123);
        Path twice = Files.writeString(tmp.resolve("twice"), "x");
        Files.setPosixFilePermissions(twice, PosixFilePermissions.fromString("rw-------"));
        Files.createLink(tmp.resolve("other-name"), twice);
        assertThatThrownBy(() -> FileGrant.grant(twice, false, u)).hasMessageContaining("hard links");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), secret);
        assertThatThrownBy(() -> FileGrant.grant(link, false, u)).hasMessageContaining("not a regular file");
    }

    @Test
    void theRootHoldsUsrTheGuestFilesAndOnlyTheDevicesTheVmNeeds() throws Exception {
        Path kernel = Files.writeString(tmp.resolve("kernel"), "k");
        Path block = Files.writeString(tmp.resolve("disk.img"), "d");
        SandboxSettings s = SandboxSettings.defaults();
        LaunchFile f = MonitorRoot.plan(
                tmp.resolve("root"),
                Path.of("/opt/solo5-spt"),
                List.of(kernel),
                List.of(block),
                new MonitorRoot.Needs(false, true, false, false),
                s,
                new MonitorUser(7, 7, List.of()),
                List.of("/opt/solo5-spt"));
        assertThat(f.mounts())
                .contains(
                        new LaunchFile.Mount(LaunchFile.Kind.ROX, Path.of("/usr")),
                        new LaunchFile.Mount(LaunchFile.Kind.ROX, Path.of("/opt/solo5-spt")),
                        new LaunchFile.Mount(LaunchFile.Kind.RO, kernel),
                        new LaunchFile.Mount(LaunchFile.Kind.RW, block),
                        new LaunchFile.Mount(LaunchFile.Kind.DEV, Path.of("/dev/net/tun")));
        assertThat(f.mounts())
                .noneMatch(m -> m.path().toString().equals("/dev/kvm")
                        || m.path().startsWith("/etc/passwd")
                        || m.path().startsWith("/proc")
                        || m.path().startsWith("/home"));
        assertThat(f.env()).containsExactly("PATH=/usr/local/bin:/usr/bin:/bin");
        assertThatThrownBy(() -> MonitorRoot.plan(
                        tmp.resolve("root"),
                        Path.of("/usr/bin/q"),
                        List.of(tmp),
                        List.of(),
                        new MonitorRoot.Needs(false, false, false, false),
                        s,
                        new MonitorUser(7, 7, List.of()),
                        List.of("/usr/bin/q")))
                .hasMessageContaining("not a regular file");
    }

    @Test
    void settingsRefuseRangesPastTheUidSpaceAndRelativePaths() {
        assertThatThrownBy(() -> new SandboxSettings(
                        Optional.empty(), Integer.MAX_VALUE - 5, 10, Path.of("/x"), 1, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SandboxSettings(
                        Optional.empty(), 100, 10, Path.of("/x"), 1, List.of(Path.of("rel")), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
