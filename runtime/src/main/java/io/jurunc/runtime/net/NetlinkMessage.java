package io.jurunc.runtime.net;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one rtnetlink request: {@code struct nlmsghdr}, the family header, then attributes ({@code
 * struct rtattr}, 4-byte aligned), nests included. Host byte order (little endian on the platforms
 * jurunc supports); fields the kernel defines as big endian are written so by the caller.
 */
final class NetlinkMessage {
    static final int HEADER = 16;
    static final short NLM_F_REQUEST = 0x1;
    static final short NLM_F_MULTI = 0x2;
    static final short NLM_F_ACK = 0x4;
    static final short NLM_F_EXCL = 0x200;
    static final short NLM_F_CREATE = 0x400;
    static final short NLM_F_DUMP = 0x300;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLA_F_NESTED = 0x8000;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Integer> nests = new ArrayList<>();
    /** Closed nests: offset in the body and length, written into the message by build(). */
    private final List<int[]> closed = new ArrayList<>();

    private final int type;
    private final int flags;

    NetlinkMessage(int type, int flags) {
        this.type = type;
        this.flags = flags;
    }

    int flags() {
        return flags;
    }

    /** The family header (ifinfomsg, tcmsg, ...), written as given. */
    NetlinkMessage body(byte[] familyHeader) {
        out.writeBytes(familyHeader);
        return this;
    }

    NetlinkMessage attr(int attrType, byte[] payload) {
        ByteBuffer h = le(4).putShort((short) (4 + payload.length)).putShort((short) attrType);
        out.writeBytes(h.array());
        out.writeBytes(payload);
        pad();
        return this;
    }

    NetlinkMessage attrU32(int attrType, int value) {
        return attr(attrType, le(4).putInt(value).array());
    }

    /** A NUL-terminated string attribute (IFLA_IFNAME, TCA_KIND, ...). */
    NetlinkMessage attrString(int attrType, String value) {
        byte[] s = value.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[s.length + 1];
        System.arraycopy(s, 0, z, 0, s.length);
        return attr(attrType, z);
    }

    /** Opens a nested attribute; {@link #end()} closes it and fills in its length. */
    NetlinkMessage nest(int attrType) {
        nests.add(out.size());
        out.writeBytes(le(4).putShort((short) 0).putShort((short) attrType).array());
        return this;
    }

    NetlinkMessage end() {
        if (nests.isEmpty()) {
            throw new IllegalStateException("no open nest");
        }
        int start = nests.removeLast();
        closed.add(new int[] {start, out.size() - start});
        return this;
    }

    /** The whole message with sequence number {@code seq} (port id 0: the kernel fills it in). */
    byte[] build(int seq) {
        if (!nests.isEmpty()) {
            throw new IllegalStateException(nests.size() + " nest(s) left open");
        }
        byte[] body = out.toByteArray();
        ByteBuffer b = le(HEADER + body.length);
        b.putInt(HEADER + body.length)
                .putShort((short) type)
                .putShort((short) flags)
                .putInt(seq)
                .putInt(0);
        b.put(body);
        byte[] msg = b.array();
        fixNests(msg);
        return msg;
    }

    private void fixNests(byte[] msg) {
        ByteBuffer b = ByteBuffer.wrap(msg).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] n : closed) {
            b.putShort(HEADER + n[0], (short) n[1]);
        }
    }

    private void pad() {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
