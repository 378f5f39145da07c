package io.jurunc.vaccel.rpc.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.ttrpc.Connection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The vsock listener's accept logic with the peer-CID allow-list (the agent's {@code --allow-cid}), over
 * recorded socket calls: this kernel has no vsock loopback to connect from another CID.
 */
class VsockListenerTest {
    /** Hands out queued accepted sockets {fd, cid, port} and records what the listener does with them. */
    private static final class RecordingSockets implements VsockListener.Sockets {
        final Deque<int[]> incoming = new ArrayDeque<>();
        final List<String> calls = new ArrayList<>();

        @Override
        public boolean pollIn(int fd, int millis) {
            return true;
        }

        @Override
        public int[] accept(int fd) throws IOException {
            if (incoming.isEmpty()) {
                throw new IOException("no more test connections");
            }
            int[] r = incoming.removeFirst();
            calls.add("accept " + r[0]);
            return r;
        }

        @Override
        public Connection connection(int fd, String description) {
            calls.add("serve " + fd + " " + description);
            return new Connection() {
                @Override
                public String description() {
                    return description;
                }

                @Override
                public int read(ByteBuffer dst) {
                    return -1;
                }

                @Override
                public int write(ByteBuffer src) {
                    return 0;
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public void shutdown(int fd) {
            calls.add("shutdown " + fd);
        }

        @Override
        public void close(int fd) {
            calls.add("close " + fd);
        }
    }

    @Test
    void peersOutsideTheAllowListAreClosedBeforeAnyByteAndAcceptingGoesOn() throws Exception {
        RecordingSockets sockets = new RecordingSockets();
        sockets.incoming.add(new int[] {10, 3, 1024});
        sockets.incoming.add(new int[] {11, -2, 1025}); // CID 4294967294, beyond a signed int
        sockets.incoming.add(new int[] {12, 42, 1026});
        VsockListener listener = new VsockListener(7, -1, 2048, Set.of(42L), sockets);

        Connection c = listener.accept();

        assertThat(c.description()).isEqualTo("vsock://42:1026");
        assertThat(sockets.calls)
                .containsExactly(
                        "accept 10",
                        "shutdown 10",
                        "close 10",
                        "accept 11",
                        "shutdown 11",
                        "close 11",
                        "accept 12",
                        "serve 12 vsock://42:1026");
    }

    @Test
    void withoutAnAllowListEveryPeerIsServedAndLargeCidsAreUnsigned() throws Exception {
        RecordingSockets sockets = new RecordingSockets();
        sockets.incoming.add(new int[] {10, -2, 1024});
        VsockListener listener = new VsockListener(7, -1, 2048, Set.of(), sockets);

        assertThat(listener.accept().description()).isEqualTo("vsock://4294967294:1024");
        listener.close();
        assertThat(sockets.calls)
                .containsExactly("accept 10", "serve 10 vsock://4294967294:1024", "shutdown 7", "close 7");
    }

    @Test
    void anAllowedCidAbove2Pow31MatchesTheUnsignedValue() throws Exception {
        RecordingSockets sockets = new RecordingSockets();
        sockets.incoming.add(new int[] {10, -2, 1024});
        VsockListener listener = new VsockListener(7, -1, 2048, Set.of(4294967294L), sockets);

        assertThat(listener.accept().description()).isEqualTo("vsock://4294967294:1024");
    }
}
