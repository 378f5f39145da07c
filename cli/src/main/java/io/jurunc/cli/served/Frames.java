package io.jurunc.cli.served;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The front protocol's framing: {@code u32 length} (little endian, the type byte and the payload), {@code u8 type},
 * payload; string lists are NUL-terminated strings that fill the payload exactly.
 */
final class Frames {
    static final int MAX_LENGTH = 4 << 20;

    // front -> daemon
    static final byte REQUEST = 'Q';
    static final byte SPAWNED = 'P';
    // daemon -> front
    static final byte SPAWN = 'S';
    static final byte STDOUT = 'O';
    static final byte STDERR = 'E';
    static final byte EXIT = 'X';
    static final byte HAND_OVER = 'H';
    static final byte FALL_BACK = 'F';

    private Frames() {}

    record Frame(byte type, byte[] payload) {
        List<String> strings() throws ProtocolException {
            return Frames.strings(payload);
        }
    }

    /** A frame that breaks the protocol. */
    static final class ProtocolException extends IOException {
        ProtocolException(String message) {
            super(message);
        }
    }

    static Frame read(ReadableByteChannel in) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        fill(in, head);
        int length = head.flip().getInt();
        if (length < 1 || length > MAX_LENGTH) throw new ProtocolException("frame length " + length);
        ByteBuffer body = ByteBuffer.allocate(length);
        fill(in, body);
        byte[] payload = new byte[length - 1];
        body.flip();
        byte type = body.get();
        body.get(payload);
        return new Frame(type, payload);
    }

    private static void fill(ReadableByteChannel in, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (in.read(buf) < 0) throw new EOFException("the front closed the connection");
        }
    }

    static void write(WritableByteChannel out, byte type, byte[] payload) throws IOException {
        if (payload.length + 1 > MAX_LENGTH) throw new ProtocolException("frame of " + payload.length + " bytes");
        ByteBuffer buf = ByteBuffer.allocate(5 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(payload.length + 1).put(type).put(payload).flip();
        while (buf.hasRemaining()) out.write(buf);
    }

    static void writeStrings(WritableByteChannel out, byte type, List<String> strings) throws IOException {
        write(out, type, encode(strings));
    }

    static byte[] encode(List<String> strings) throws ProtocolException {
        int n = 0;
        List<byte[]> parts = new ArrayList<>(strings.size());
        for (String s : strings) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            for (byte x : b) {
                if (x == 0) throw new ProtocolException("a string with a NUL byte");
            }
            parts.add(b);
            n += b.length + 1;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] b : parts) {
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length + 1;
        }
        return out;
    }

    static List<String> strings(byte[] payload) throws ProtocolException {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == 0) {
                out.add(new String(payload, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start != payload.length) throw new ProtocolException("a string list not ended by NUL");
        return out;
    }
}
