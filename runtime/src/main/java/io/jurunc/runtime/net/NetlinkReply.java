package io.jurunc.runtime.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One rtnetlink message from the kernel: its type, flags and payload, with the attributes after a
 * family header of {@code headerSize} bytes parsed on demand. Every length is checked against the
 * buffer: a malformed message is a {@link NetOperationException}, never an index error.
 */
record NetlinkReply(int type, int flags, int seq, byte[] payload) {
    /** Splits a datagram into messages. */
    static List<NetlinkReply> split(byte[] data, int length) throws NetOperationException {
        List<NetlinkReply> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(data, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        int off = 0;
        while (off + NetlinkMessage.HEADER <= length) {
            int len = b.getInt(off);
            if (len < NetlinkMessage.HEADER || off + len > length) {
                throw new NetOperationException(
                        "malformed netlink message: length " + len + " at offset " + off + " of " + length);
            }
            int type = Short.toUnsignedInt(b.getShort(off + 4));
            int flags = Short.toUnsignedInt(b.getShort(off + 6));
            int seq = b.getInt(off + 8);
            byte[] payload = new byte[len - NetlinkMessage.HEADER];
            System.arraycopy(data, off + NetlinkMessage.HEADER, payload, 0, payload.length);
            out.add(new NetlinkReply(type, flags, seq, payload));
            off += align(len);
        }
        return out;
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    }

    void requireHeader(int size) throws NetOperationException {
        if (payload.length < size) {
            throw new NetOperationException("netlink message type " + type + " is " + payload.length
                    + " bytes, shorter than its " + size + "-byte header");
        }
    }

    /** The attributes after the family header; the first of each type wins. */
    Map<Integer, byte[]> attributes(int headerSize) throws NetOperationException {
        requireHeader(headerSize);
        return parseAttributes(payload, headerSize, payload.length);
    }

    /** Attributes in {@code data[from, to)}, keyed by type without the nested/byte-order bits. */
    static Map<Integer, byte[]> parseAttributes(byte[] data, int from, int to) throws NetOperationException {
        Map<Integer, byte[]> attrs = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int off = from;
        while (off + 4 <= to) {
            int len = Short.toUnsignedInt(b.getShort(off));
            int type = Short.toUnsignedInt(b.getShort(off + 2)) & 0x3fff;
            if (len < 4 || off + len > to) {
                throw new NetOperationException("malformed netlink attribute: length " + len + " at offset " + off);
            }
            byte[] value = new byte[len - 4];
            System.arraycopy(data, off + 4, value, 0, value.length);
            attrs.putIfAbsent(type, value);
            off += align(len);
        }
        return attrs;
    }

    /** Nested attributes in the order the kernel gave them (action lists are keyed by position). */
    static List<byte[]> nestedInOrder(byte[] nest) throws NetOperationException {
        List<byte[]> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(nest).order(ByteOrder.LITTLE_ENDIAN);
        int off = 0;
        while (off + 4 <= nest.length) {
            int len = Short.toUnsignedInt(b.getShort(off));
            if (len < 4 || off + len > nest.length) {
                throw new NetOperationException("malformed nested netlink attribute: length " + len);
            }
            byte[] value = new byte[len - 4];
            System.arraycopy(nest, off + 4, value, 0, value.length);
            out.add(value);
            off += align(len);
        }
        return out;
    }

    static Optional<String> string(Map<Integer, byte[]> attrs, int type) {
        byte[] v = attrs.get(type);
        if (v == null) {
            return Optional.empty();
        }
        int n = 0;
        while (n < v.length && v[n] != 0) {
            n++;
        }
        return Optional.of(new String(v, 0, n, StandardCharsets.UTF_8));
    }

    static Optional<Integer> u32(Map<Integer, byte[]> attrs, int type) throws NetOperationException {
        byte[] v = attrs.get(type);
        if (v == null) {
            return Optional.empty();
        }
        if (v.length < 4) {
            throw new NetOperationException("netlink attribute " + type + " has " + v.length + " bytes, expected 4");
        }
        return Optional.of(ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }
}
