package io.jurunc.runtime.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.libc.Errno;
import io.jurunc.libc.ErrnoException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FFM bindings against the real kernel (no privileges needed). */
class LinuxSyscallsTest {
    private final Syscalls sys = Syscalls.linux();

    @Test
    void openAndCloseAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");

        int fd = sys.open(file.toString(), Syscalls.O_RDONLY | Syscalls.O_CLOEXEC);

        assertThat(fd).isGreaterThanOrEqualTo(0);
        assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd))).isEqualTo(file);
        sys.close(fd);
        assertThat(Files.exists(Path.of("/proc/self/fd/" + fd), java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .isFalse();
    }

    @Test
    void errnoIsCaptured(@TempDir Path dir) {
        assertThatThrownBy(() -> sys.open(dir.resolve("missing").toString(), Syscalls.O_RDONLY))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.getMessage()).contains("missing");
                });
        assertThatThrownBy(() -> sys.close(-1))
                .isInstanceOfSatisfying(
                        ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
    }

    @Test
    void ioctlReportsErrnoForAnInappropriateDevice(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        int fd = sys.open(file.toString(), Syscalls.O_RDONLY | Syscalls.O_CLOEXEC);
        try {
            assertThatThrownBy(() -> sys.ioctl(fd, 0x400454caL, new byte[40]))
                    .isInstanceOfSatisfying(
                            ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTTY));
            assertThatThrownBy(() -> sys.ioctl(fd, 0x400454cbL, 1))
                    .isInstanceOfSatisfying(
                            ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTTY));
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void readAndWriteThroughDescriptors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rw");
        Files.writeString(file, "");
        int fd = sys.open(file.toString(), Syscalls.O_RDWR | Syscalls.O_CLOEXEC);
        try {
            assertThat(sys.write(fd, "hello!".getBytes(), 5)).isEqualTo(5);
        } finally {
            sys.close(fd);
        }
        assertThat(Files.readString(file)).isEqualTo("hello");
        int rd = sys.open(file.toString(), Syscalls.O_RDONLY | Syscalls.O_CLOEXEC);
        try {
            byte[] buf = new byte[16];
            assertThat(sys.read(rd, buf)).isEqualTo(5);
            assertThat(new String(buf, 0, 5)).isEqualTo("hello");
            assertThat(sys.read(rd, buf)).isZero();
        } finally {
            sys.close(rd);
        }
    }

    @Test
    void killWithSignalZeroProbesAProcess() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            sys.kill((int) child.pid(), 0);
            sys.kill((int) child.pid(), Syscalls.SIGKILL);
            child.waitFor();
            assertThat(child.exitValue()).isEqualTo(128 + Syscalls.SIGKILL);
            assertThatThrownBy(() -> sys.kill((int) child.pid(), 0))
                    .isInstanceOfSatisfying(
                            ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESRCH));
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void setnsIntoOurOwnNamespaceOnAThrowawayThreadWorks() throws Exception {
        String before =
                Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();

        String inside = NamespaceThread.callInNetns(
                sys,
                Path.of("/proc/self/ns/net"),
                () -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net"))
                        .toString());

        assertThat(inside).isEqualTo(before);
    }
}
