package io.jurunc.runtime.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LinuxHost}'s files, /proc reading and clock against the real ones. */
class LinuxHostFilesTest {
    @TempDir
    Path tmp;

    private final LinuxHost host = new LinuxHost();

    @Test
    void anAtomicWriteKeepsItsModeAndNeverFollowsALinkAtItsTempName() throws Exception {
        // before (in the create operation): Files.writeString on ".init.pid.tmp" wrote through a planted link
        Path victim = Files.writeString(tmp.resolve("victim"), "keep me");
        Files.createSymbolicLink(tmp.resolve(".init.pid.tmp"), victim);
        host.writeAtomically(tmp.resolve("init.pid"), "4242".getBytes(), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.readString(victim)).isEqualTo("keep me");
        assertThat(Files.readString(tmp.resolve("init.pid"))).isEqualTo("4242");
        assertThat(Files.isSymbolicLink(tmp.resolve("init.pid"))).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("init.pid"))))
                .isEqualTo("rw-r--r--");

        host.writeAtomically(tmp.resolve("init.pid"), "7".getBytes(), PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(tmp.resolve("init.pid"))).isEqualTo("7");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("init.pid"))))
                .isEqualTo("rw-------");
    }

    @Test
    void anAtomicWriteIntoAMissingDirectoryFailsWithTheFileNamed() {
        Path file = tmp.resolve("missing/init.pid");
        assertThatThrownBy(() -> host.writeAtomically(file, new byte[0], PosixFilePermissions.fromString("rw-------")))
                .isInstanceOf(HostException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void directoriesExistenceAndSize() throws Exception {
        Path dir = tmp.resolve("a/b");
        host.createDirectories(dir);
        host.createDirectories(dir); // again: fine
        assertThat(host.exists(dir)).isTrue();
        assertThat(host.exists(tmp.resolve("nothing"))).isFalse();
        Files.write(dir.resolve("f"), new byte[1234]);
        assertThat(host.size(dir.resolve("f"))).isEqualTo(1234);
        assertThatThrownBy(() -> host.size(tmp.resolve("nothing"))).isInstanceOf(HostException.class);
    }

    @Test
    void aPrivateDirectoryIs0700AndItsOwners_andALinkAtItsNameIsRefused() throws Exception {
        int uid = (int) new com.sun.security.auth.module.UnixSystem().getUid();
        int gid = (int) new com.sun.security.auth.module.UnixSystem().getGid();
        Path dir = tmp.resolve("qmp");
        host.createPrivateDirectory(dir, uid, gid);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        host.createPrivateDirectory(dir, uid, gid); // again: made private again
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        assertThat(Files.getAttribute(dir, "unix:uid")).isEqualTo(uid);

        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(tmp.resolve("link"), elsewhere);
        assertThatThrownBy(() -> host.createPrivateDirectory(tmp.resolve("link"), uid, gid))
                .isInstanceOf(HostException.class)
                .hasMessageContaining(tmp.resolve("link").toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(elsewhere)))
                .isNotEqualTo("rwx------");
    }

    @Test
    void deleteSaysWhetherSomethingWasThere() throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        assertThat(host.delete(f)).isTrue();
        assertThat(host.delete(f)).isFalse();
        Files.writeString(Files.createDirectory(tmp.resolve("full")).resolve("x"), "x");
        assertThatThrownBy(() -> host.delete(tmp.resolve("full"))).isInstanceOf(HostException.class);
    }

    @Test
    void aSmallFileIsReadOnlyWhenItIsARegularFileWithinTheLimit() throws Exception {
        Path pid = Files.writeString(tmp.resolve("waiter.pid"), "4242\n");
        assertThat(host.readSmallFile(pid, 16)).contains("4242\n");
        assertThat(host.readSmallFile(tmp.resolve("none"), 16)).isEmpty();
        assertThatThrownBy(() -> host.readSmallFile(pid, 4))
                .isInstanceOf(HostException.class)
                .hasMessageContaining("longer than 4 bytes");
        Files.createSymbolicLink(tmp.resolve("link.pid"), pid);
        assertThatThrownBy(() -> host.readSmallFile(tmp.resolve("link.pid"), 16))
                .isInstanceOf(HostException.class)
                .hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> host.readSmallFile(tmp, 16)).isInstanceOf(HostException.class);
    }

    @Test
    void statusIsThisProcesssAndEmptyForAGoneOne() {
        assertThat(host.status(ProcessHandle.current().pid()))
                .hasValueSatisfying(s -> assertThat(s).contains("NSpid:").contains("SigCgt:"));
        assertThat(host.status(Integer.MAX_VALUE)).isEmpty();
    }

    @Test
    void cmdlineIsTheArgvOfALiveProcessAndEmptyForAGoneOne() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "sleep 30; true", "with space").start();
        try {
            long deadline = System.nanoTime() + 5_000_000_000L; // the child may not have exec'd yet
            while (!host.cmdline(p.pid()).contains("with space") && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(host.cmdline(p.pid())).containsExactly("sh", "-c", "sleep 30; true", "with space");
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
        assertThat(host.cmdline(p.pid())).isEmpty();
    }

    @Test
    void theClockAdvancesBySleeping() throws Exception {
        long before = host.nanoTime();
        host.sleep(Duration.ofMillis(5));
        assertThat(host.nanoTime() - before).isGreaterThanOrEqualTo(5_000_000L);
    }
}
