package io.jurunc.libc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The descriptor calls against the real kernel (no privileges needed). */
class FdsTest {
    @TempDir
    Path dir;

    private static void assertErrno(ThrowingCall call, int errno) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        ErrnoException.class, e -> assertThat(e.errnoName()).isEqualTo(Errno.name(errno)));
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aBadDescriptorIsEbadf() {
        assertErrno(() -> Fds.close(-1), Errno.EBADF);
        assertErrno(() -> Fds.read(-1, new byte[4]), Errno.EBADF);
        assertErrno(() -> Fds.write(-1, new byte[4], 4), Errno.EBADF);
    }

    @Test
    void openReportsTheMissingPath() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> Fds.open(missing.toString(), Fds.O_RDONLY))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.call()).isEqualTo("open");
                    assertThat(e.getMessage()).contains(missing.toString());
                });
    }

    @Test
    void openCreatesWithTheModeAndCloseReleases() throws Exception {
        Path file = dir.resolve("created");
        int fd = Fds.open(file.toString(), Fds.O_WRONLY | Fds.O_CLOEXEC | 0x40 /* O_CREAT */, 0640);
        try {
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd))).isEqualTo(file);
            assertThat(Fds.write(fd, "hello!".getBytes(StandardCharsets.UTF_8), 5))
                    .isEqualTo(5);
        } finally {
            Fds.close(fd);
        }
        assertThat(Files.exists(Path.of("/proc/self/fd/" + fd), LinkOption.NOFOLLOW_LINKS))
                .isFalse();
        assertThat(Files.readString(file)).isEqualTo("hello");
        assertThat(Files.getPosixFilePermissions(file)) // 0640, less what the umask takes
                .contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)
                .doesNotContain(
                        PosixFilePermission.OWNER_EXECUTE,
                        PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.OTHERS_READ);
    }

    @Test
    void aPipeCarriesBytesAndPollSeesThem() throws Exception {
        Fds.Pipe pipe = Fds.pipe(Fds.O_CLOEXEC);
        try {
            assertThat(Fds.poll(pipe.readFd(), Fds.POLLIN, 0)).isZero();
            assertThat(Fds.write(pipe.writeFd(), "ping".getBytes(StandardCharsets.UTF_8), 4))
                    .isEqualTo(4);
            assertThat(Fds.poll(pipe.readFd(), Fds.POLLIN, 1000) & Fds.POLLIN).isEqualTo(Fds.POLLIN);
            byte[] buf = new byte[16];
            assertThat(Fds.read(pipe.readFd(), buf)).isEqualTo(4);
            assertThat(new String(buf, 0, 4, StandardCharsets.UTF_8)).isEqualTo("ping");
            Fds.close(pipe.writeFd());
            assertThat(Fds.read(pipe.readFd(), buf)).as("end of file").isZero();
        } finally {
            Fds.close(pipe.readFd());
        }
        assertErrno(() -> Fds.close(pipe.writeFd()), Errno.EBADF);
    }

    @Test
    void nativeBuffersReadAndWriteWithoutCopies() throws Exception {
        Fds.Pipe pipe = Fds.pipe(Fds.O_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocateFrom("segment", StandardCharsets.UTF_8);
            assertThat(Fds.write(pipe.writeFd(), out, 7)).isEqualTo(7);
            MemorySegment in = arena.allocate(32);
            assertThat(Fds.read(pipe.readFd(), in, 32)).isEqualTo(7);
            assertThat(in.getString(0)).isEqualTo("segment");
            assertThatThrownBy(() -> Fds.read(pipe.readFd(), in, 33)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Fds.write(pipe.writeFd(), new byte[2], 3))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(in.get(ValueLayout.JAVA_BYTE, 7)).isZero();
        } finally {
            Fds.close(pipe.readFd());
            Fds.close(pipe.writeFd());
        }
    }

    @Test
    void aNonBlockingWriterOfAFifoWithoutReaderIsEnxioAndASecondMkfifoIsEexist() throws Exception {
        Path fifo = dir.resolve("fifo");
        Fds.mkfifo(fifo.toString(), 0600);
        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertErrno(() -> Fds.mkfifo(fifo.toString(), 0600), Errno.EEXIST);
        assertErrno(() -> Fds.open(fifo.toString(), Fds.O_WRONLY | Fds.O_NONBLOCK | Fds.O_CLOEXEC), Errno.ENXIO);
    }

    @Test
    void ioctlOnAPlainFileIsEnotty() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        int fd = Fds.open(file.toString(), Fds.O_RDONLY | Fds.O_CLOEXEC);
        try {
            assertErrno(() -> Fds.ioctl(fd, 0x400454caL, new byte[40]), Errno.ENOTTY); // TUNSETIFF
            assertErrno(() -> Fds.ioctl(fd, 0x400454cbL, 1), Errno.ENOTTY); // TUNSETPERSIST
        } finally {
            Fds.close(fd);
        }
    }

    @Test
    void ioctlCopiesTheKernelsAnswerBack() throws Exception {
        Fds.Pipe pipe = Fds.pipe(Fds.O_CLOEXEC);
        try {
            Fds.write(pipe.writeFd(), new byte[3], 3);
            byte[] available = new byte[4];
            Fds.ioctl(pipe.readFd(), 0x541B /* FIONREAD */, available);
            assertThat(available[0]).isEqualTo((byte) 3);
        } finally {
            Fds.close(pipe.readFd());
            Fds.close(pipe.writeFd());
        }
    }
}
