package io.jurunc.e2e.cri;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A minimal unary gRPC client over HTTP/2 cleartext on a unix socket (one connection per call): enough
 * to drive containerd's CRI plugin from a test without grpc-java. Request headers are HPACK literals
 * without indexing; response headers are not decoded: a successful unary call is one with a gRPC message
 * in the DATA frames, a failed one (trailers only) is reported as such, with the advice to read
 * containerd's log for the status text.
 */
final class GrpcUnixClient {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int PING = 6;
    private static final int GOAWAY = 7;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;

    private final Path socket;

    GrpcUnixClient(Path socket) {
        this.socket = socket;
    }

    /** Calls {@code /service/method}; returns the response message bytes. */
    byte[] call(String service, String method, byte[] request, Duration timeout) throws GrpcCallException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(ch);
            DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
            out.write(PREFACE);
            frame(out, SETTINGS, 0, 0, new byte[0]);
            frame(out, HEADERS, END_HEADERS, 1, headers(service, method));
            ByteBuffer msg = ByteBuffer.allocate(5 + request.length)
                    .put((byte) 0)
                    .putInt(request.length)
                    .put(request);
            frame(out, DATA, END_STREAM, 1, msg.array());
            out.flush();
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            long deadline = System.nanoTime() + timeout.toNanos();
            Thread watchdog = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(timeout);
                    ch.close();
                } catch (InterruptedException | IOException ignored) {
                    // call finished first
                }
            });
            try {
                while (true) {
                    int len = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
                    int type = in.readUnsignedByte();
                    int flags = in.readUnsignedByte();
                    int stream = in.readInt() & 0x7fffffff;
                    byte[] payload = in.readNBytes(len);
                    switch (type) {
                        case SETTINGS -> {
                            if ((flags & ACK) == 0) {
                                frame(out, SETTINGS, ACK, 0, new byte[0]);
                            }
                        }
                        case PING -> {
                            if ((flags & ACK) == 0) {
                                frame(out, PING, ACK, 0, payload);
                            }
                        }
                        case DATA -> {
                            if (stream == 1) {
                                int pad = (flags & PADDED) != 0 ? payload[0] & 0xff : 0;
                                int off = (flags & PADDED) != 0 ? 1 : 0;
                                data.write(payload, off, payload.length - off - pad);
                            }
                        }
                        case RST_STREAM -> throw new GrpcCallException(method + ": stream reset by containerd");
                        case GOAWAY ->
                            throw new GrpcCallException(method + ": connection closed by containerd (GOAWAY)");
                        default -> {}
                    }
                    out.flush();
                    if (stream == 1 && (type == DATA || type == HEADERS) && (flags & END_STREAM) != 0) {
                        break;
                    }
                }
            } finally {
                watchdog.interrupt();
            }
            byte[] body = data.toByteArray();
            if (body.length < 5) {
                throw new GrpcCallException(method + " failed (gRPC error status; see containerd's log for the text)");
            }
            int n = ByteBuffer.wrap(body, 1, 4).getInt();
            if (System.nanoTime() > deadline) {
                throw new GrpcCallException(method + " timed out");
            }
            return java.util.Arrays.copyOfRange(body, 5, 5 + n);
        } catch (IOException e) {
            throw new GrpcCallException(method + ": " + e.getMessage());
        }
    }

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(9);
        h.put((byte) (payload.length >>> 16))
                .putShort((short) payload.length)
                .put((byte) type)
                .put((byte) flags)
                .putInt(stream);
        out.write(h.array());
        out.write(payload);
    }

    /** HPACK: each header as "literal header field without indexing, new name", no Huffman. */
    private static byte[] headers(String service, String method) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        String[][] hs = {
            {":method", "POST"},
            {":scheme", "http"},
            {":path", "/" + service + "/" + method},
            {":authority", "localhost"},
            {"content-type", "application/grpc"},
            {"te", "trailers"}
        };
        for (String[] h : hs) {
            b.write(0);
            literal(b, h[0]);
            literal(b, h[1]);
        }
        return b.toByteArray();
    }

    private static void literal(ByteArrayOutputStream b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        int len = bytes.length;
        if (len < 127) {
            b.write(len);
        } else {
            b.write(127);
            len -= 127;
            while (len >= 128) {
                b.write((len & 0x7f) | 0x80);
                len >>>= 7;
            }
            b.write(len);
        }
        b.writeBytes(bytes);
    }

    static final class GrpcCallException extends Exception {
        GrpcCallException(String message) {
            super(message);
        }
    }
}
