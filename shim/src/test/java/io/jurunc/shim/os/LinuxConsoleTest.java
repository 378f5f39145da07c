package io.jurunc.shim.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.libc.Fds;
import io.jurunc.libc.Ptys;
import io.jurunc.libc.SockAddr;
import io.jurunc.libc.Sockets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real console with a real pty and socket, as runc's {@code --console-socket} protocol has them: the
 * "runtime" here opens a pty and sends its master; what the container writes on the slave reaches the
 * stdout FIFO, the stdin FIFO reaches the slave, resize sets the slave's window size, and the slave's close
 * ends the stdout FIFO.
 */
class LinuxConsoleTest {
    /** {@code TIOCGWINSZ} (x86-64, arm64). */
    private static final long TIOCGWINSZ = 0x5413;

    @TempDir
    Path tmp;

    @Test
    void theMasterFromTheSocketIsRelayedToTheFifosAndResized() throws Exception {
        Path out = tmp.resolve("out");
        Path in = tmp.resolve("in");
        Fds.mkfifo(out.toString(), 0600);
        Fds.mkfifo(in.toString(), 0600);
        List<String> log = new ArrayList<>();
        try (LinuxConsole console = LinuxConsole.listen(tmp.resolve("console.sock"))) {
            int master = Ptys.posixOpenpt(Fds.O_RDWR | Fds.O_NOCTTY | Fds.O_CLOEXEC);
            Ptys.grantpt(master);
            Ptys.unlockpt(master);
            String slavePath = Ptys.ptsname(master);
            int sock = Sockets.socket(Sockets.AF_UNIX, Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0);
            Sockets.connect(sock, new SockAddr.UnixPath(console.socket().toString()));
            Sockets.sendFds(sock, slavePath.getBytes(StandardCharsets.UTF_8), master);
            Fds.close(sock);
            Fds.close(master); // the console holds its own copy now
            console.receiveMaster(Duration.ofSeconds(5));

            // containerd's ends of the FIFOs: a reader of stdout, a writer of stdin
            CompletableFuture<Integer> reader =
                    CompletableFuture.supplyAsync(() -> open(out, Fds.O_RDONLY | Fds.O_CLOEXEC));
            CompletableFuture<Integer> writer =
                    CompletableFuture.supplyAsync(() -> open(in, Fds.O_WRONLY | Fds.O_CLOEXEC));
            console.relay(Optional.of(in), Optional.of(out), log::add);
            int outFd = reader.get(5, TimeUnit.SECONDS);
            int inFd = writer.get(5, TimeUnit.SECONDS);
            int slave = Fds.open(slavePath, Fds.O_RDWR | Fds.O_NOCTTY | Fds.O_CLOEXEC);

            byte[] hello = "from the container\n".getBytes(StandardCharsets.UTF_8);
            Fds.write(slave, hello, hello.length);
            assertThat(readLine(outFd)).isEqualTo("from the container");

            byte[] typed = "typed\n".getBytes(StandardCharsets.UTF_8);
            Fds.write(inFd, typed, typed.length);
            assertThat(readLine(slave)).isEqualTo("typed");

            console.resize(132, 43);
            byte[] ws = new byte[8];
            Fds.ioctl(slave, TIOCGWINSZ, ws);
            assertThat((ws[0] & 0xff) | (ws[1] & 0xff) << 8).as("rows").isEqualTo(43);
            assertThat((ws[2] & 0xff) | (ws[3] & 0xff) << 8).as("columns").isEqualTo(132);
            assertThatThrownBy(() -> console.resize(70000, 1)).isInstanceOf(OsException.class);

            Fds.close(slave); // the container's side closes: the output copy ends
            console.drain(Duration.ofSeconds(5));
            assertThat(readToEnd(outFd))
                    .as("the stdout FIFO was closed: containerd's reader sees end of file (after the echo of 'typed')")
                    .isEqualTo("typed\r\n");
            Fds.close(inFd);
            Fds.close(outFd);
        }
        assertThat(tmp.resolve("console.sock")).doesNotExist();
        assertThat(log).isEmpty();
    }

    @Test
    void noMasterWithinTheTimeoutIsAnError() throws Exception {
        try (LinuxConsole console = LinuxConsole.listen(tmp.resolve("c.sock"))) {
            assertThatThrownBy(() -> console.receiveMaster(Duration.ofMillis(50)))
                    .isInstanceOf(OsException.class)
                    .hasMessageContaining("no pty master");
        }
    }

    private static int open(Path fifo, int flags) {
        try {
            return Fds.open(fifo.toString(), flags);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads until end of file; fails if nothing comes for 5 s (the writer is still open). */
    private static String readToEnd(int fd) throws Exception {
        StringBuilder b = new StringBuilder();
        byte[] buf = new byte[64];
        while (true) {
            assertThat(Fds.poll(fd, Fds.POLLIN, 5000))
                    .as("more output or its end within 5 s; so far '" + b + "'")
                    .isNotZero();
            int n = Fds.read(fd, buf);
            if (n <= 0) return b.toString();
            b.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
    }

    /** Reads up to a newline (a pty in canonical mode may add a carriage return). */
    private static String readLine(int fd) throws Exception {
        StringBuilder b = new StringBuilder();
        byte[] one = new byte[1];
        while (Fds.read(fd, one) == 1 && one[0] != '\n') {
            if (one[0] != '\r') b.append((char) one[0]);
        }
        return b.toString();
    }
}
