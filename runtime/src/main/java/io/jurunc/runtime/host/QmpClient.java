package io.jurunc.runtime.host;

import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.oci.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A QEMU machine protocol exchange over a unix socket: greeting, {@code qmp_capabilities}, one
 * command. Asynchronous events ({@code {"event":...}}) between the replies are skipped. A watchdog
 * closes the socket after the timeout, so a monitor that does not answer (e.g. frozen by the cgroup
 * freezer) is an error, not a hang.
 */
final class QmpClient {
    private QmpClient() {}

    static String execute(Path socket, String command, long timeoutMs) throws HostException {
        if (!command.matches("[a-z][a-z0-9_-]*")) throw new HostException("not a QMP command name: " + command);
        AtomicBoolean timedOut = new AtomicBoolean();
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            Thread watchdog = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(timeoutMs);
                    timedOut.set(true);
                    ch.close();
                } catch (InterruptedException | IOException e) {
                    // finished in time, or already closed
                }
            });
            try {
                LineReader in = new LineReader(ch);
                JsonNode greeting = in.next();
                if (!greeting.has("QMP"))
                    throw new HostException("QMP socket " + socket + " sent no greeting: " + greeting);
                reply(ch, in, "qmp_capabilities", socket);
                return reply(ch, in, command, socket).toString();
            } finally {
                watchdog.interrupt();
            }
        } catch (IOException e) {
            throw new HostException(
                    "QMP " + command + " on " + socket
                            + (timedOut.get() ? ": no answer within " + timeoutMs + " ms" : ": " + e.getMessage()),
                    e);
        }
    }

    private static JsonNode reply(SocketChannel ch, LineReader in, String command, Path socket)
            throws IOException, HostException {
        ch.write(ByteBuffer.wrap(("{\"execute\":\"" + command + "\"}\n").getBytes(StandardCharsets.US_ASCII)));
        while (true) {
            JsonNode n = in.next();
            if (n.has("event")) continue;
            if (n.has("return")) return n.get("return");
            if (n.has("error")) {
                throw new HostException("QMP " + command + " on " + socket + " failed: "
                        + n.get("error").path("desc").asText());
            }
            throw new HostException("QMP " + command + " on " + socket + ": unexpected answer " + n);
        }
    }

    /** Newline-delimited JSON objects from the channel. */
    private static final class LineReader {
        private final SocketChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(8192);
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineReader(SocketChannel ch) {
            this.ch = ch;
            buf.flip();
        }

        JsonNode next() throws IOException {
            while (true) {
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n') {
                        String text = line.toString(StandardCharsets.UTF_8).strip();
                        line.reset();
                        if (!text.isEmpty()) return Json.mapper().readTree(text);
                    } else {
                        if (line.size() > 1 << 20) throw new IOException("QMP line longer than 1 MiB");
                        line.write(b);
                    }
                }
                buf.clear();
                int n = ch.read(buf);
                buf.flip();
                if (n < 0) throw new IOException("QMP socket closed");
            }
        }
    }
}
