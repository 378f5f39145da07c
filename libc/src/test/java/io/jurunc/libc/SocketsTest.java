package io.jurunc.libc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sockets against the real kernel: unix paths and abstract names, peer credentials, SCM_RIGHTS. */
class SocketsTest {
    @TempDir
    Path dir;

    private static int unixStream() throws ErrnoException {
        return Sockets.socket(Sockets.AF_UNIX, Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0);
    }

    @Test
    void aDescriptorPassedWithScmRightsWorksOnTheOtherSide() throws Exception {
        Sockets.Pair pair = Sockets.socketpair(Sockets.AF_UNIX, Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0);
        Fds.Pipe pipe = Fds.pipe(Fds.O_CLOEXEC);
        int received = -1;
        try {
            assertThat(Sockets.sendFds(pair.first(), "/dev/pts/9".getBytes(StandardCharsets.UTF_8), pipe.writeFd()))
                    .isEqualTo(10);

            byte[] buf = new byte[64];
            Sockets.Received r = Sockets.receiveFds(pair.second(), buf, 1);

            assertThat(new String(buf, 0, r.bytes(), StandardCharsets.UTF_8)).isEqualTo("/dev/pts/9");
            assertThat(r.fds()).hasSize(1);
            received = r.fds()[0];
            assertThat(received).isNotEqualTo(pipe.writeFd());
            Fds.write(received, "via".getBytes(StandardCharsets.UTF_8), 3); // the pipe's write end, a new number
            byte[] got = new byte[8];
            assertThat(Fds.read(pipe.readFd(), got)).isEqualTo(3);
            assertThat(new String(got, 0, 3, StandardCharsets.UTF_8)).isEqualTo("via");
        } finally {
            if (received >= 0) {
                Fds.close(received);
            }
            Fds.close(pipe.readFd());
            Fds.close(pipe.writeFd());
            Fds.close(pair.first());
            Fds.close(pair.second());
        }
    }

    @Test
    void dataWithoutDescriptorsReceivesNone() throws Exception {
        Sockets.Pair pair = Sockets.socketpair(Sockets.AF_UNIX, Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0);
        try {
            Fds.write(pair.first(), new byte[] {1, 2}, 2);
            Sockets.Received r = Sockets.receiveFds(pair.second(), new byte[8], 4);
            assertThat(r.bytes()).isEqualTo(2);
            assertThat(r.fds()).isEmpty();
            Fds.close(pair.first());
            assertThat(Sockets.receiveFds(pair.second(), new byte[8], 4).bytes())
                    .as("end of stream")
                    .isZero();
        } finally {
            Fds.close(pair.second());
        }
    }

    @Test
    void sendingToABadDescriptorIsEbadfAndNothingToSendIsRefused() {
        assertThatThrownBy(() -> Sockets.sendFds(-1, new byte[1], 0))
                .isInstanceOfSatisfying(
                        ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
        assertThatThrownBy(() -> Sockets.sendFds(0, new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aUnixPathListenerAcceptsAndKnowsItsPeer() throws Exception {
        SockAddr.UnixPath address = new SockAddr.UnixPath(dir.resolve("s.sock").toString());
        int listener = unixStream();
        try {
            Sockets.bind(listener, address);
            Sockets.listen(listener, 4);
            CompletableFuture<Integer> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return Sockets.accept(listener, Sockets.SOCK_CLOEXEC);
                } catch (ErrnoException e) {
                    throw new IllegalStateException(e);
                }
            });
            int client = unixStream();
            Sockets.connect(client, address);
            int server = accepted.get(5, TimeUnit.SECONDS);

            Sockets.PeerCredentials peer = Sockets.peerCredentials(server);
            assertThat(peer.uid()).isEqualTo(Processes.geteuid());
            assertThat((long) peer.pid()).isEqualTo(ProcessHandle.current().pid());
            Sockets.shutdown(client, Sockets.SHUT_RDWR);
            assertThat(Fds.read(server, new byte[4]))
                    .as("end of stream after shutdown")
                    .isZero();
            Fds.close(client);
            Fds.close(server);
        } finally {
            Fds.close(listener);
        }
    }

    @Test
    void anAbstractNameNeedsNoFileAndAMissingPathIsEnoent() throws Exception {
        SockAddr.UnixAbstract name = new SockAddr.UnixAbstract(
                "jurunc-libc-test-" + ProcessHandle.current().pid());
        int listener = unixStream();
        int client = unixStream();
        try {
            Sockets.bind(listener, name);
            Sockets.listen(listener, 1);
            Sockets.connect(client, name);
            assertThat(Fds.poll(listener, Fds.POLLIN, 1000) & Fds.POLLIN).isEqualTo(Fds.POLLIN);
            Fds.close(Sockets.accept(listener, Sockets.SOCK_CLOEXEC));

            int other = unixStream();
            try {
                assertThatThrownBy(() -> Sockets.connect(other, new SockAddr.UnixPath(dir + "/none.sock")))
                        .isInstanceOfSatisfying(ErrnoException.class, e -> {
                            assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                            assertThat(e.getMessage()).startsWith("connect(" + dir + "/none.sock)");
                        });
            } finally {
                Fds.close(other);
            }
        } finally {
            Fds.close(client);
            Fds.close(listener);
        }
    }

    @Test
    void addressesAreCheckedWhenMade() {
        assertThatThrownBy(() -> new SockAddr.UnixPath("/" + "x".repeat(SockAddr.UNIX_MAX)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SockAddr.UnixAbstract("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SockAddr.UnixPath("/a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new SockAddr.UnixPath("/" + "x".repeat(SockAddr.UNIX_MAX - 1)).path())
                .hasSize(SockAddr.UNIX_MAX);
        assertThat(new SockAddr.Vsock(Sockets.VMADDR_CID_ANY, 1024).toString()).isEqualTo("4294967295:1024");
    }

    @Test
    void setsockoptReachesTheKernel() throws Exception {
        int fd = unixStream();
        try {
            Sockets.setsockopt(fd, Sockets.SOL_SOCKET, 7 /* SO_SNDBUF */, 65536);
            assertThatThrownBy(() -> Sockets.setsockopt(fd, Sockets.SOL_SOCKET, 9999, 1))
                    .isInstanceOfSatisfying(
                            ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOPROTOOPT));
        } finally {
            Fds.close(fd);
        }
    }

    @Test
    void aVsockPortIsTakenOnceWhereTheKernelHasVsock() throws Exception {
        int first;
        try {
            first = Sockets.socket(Sockets.AF_VSOCK, Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0);
        } catch (ErrnoException e) {
            assumeTrue(false, "no AF_VSOCK here: " + e.getMessage());
            return;
        }
        int second = Sockets.socket(Sockets.AF_VSOCK, Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0);
        SockAddr.Vsock address = new SockAddr.Vsock(
                Sockets.VMADDR_CID_ANY, 20000 + (int) (ProcessHandle.current().pid() % 20000));
        try {
            Sockets.bind(first, address);
            Sockets.listen(first, 1);
            assertThat(Fds.poll(first, Fds.POLLIN, 0)).as("nobody connected").isZero();
            assertThatThrownBy(() -> Sockets.bind(second, address)).isInstanceOfSatisfying(ErrnoException.class, e -> {
                assertThat(e.errno()).isEqualTo(Errno.EADDRINUSE);
                assertThat(e.getMessage()).startsWith("bind(" + address + ")");
            });
        } finally {
            Fds.close(second);
            Fds.close(first);
        }
    }
}
