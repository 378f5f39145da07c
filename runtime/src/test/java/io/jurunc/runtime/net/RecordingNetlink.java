package io.jurunc.runtime.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * An rtnetlink fake: records every request's bytes (hex) and the namespace it was sent in, and
 * answers each request with what {@code responder} returns for it (each element one datagram).
 */
final class RecordingNetlink extends NetlinkSessions {
    final List<String> requests = new ArrayList<>();
    final List<NetnsRef> namespaces = new ArrayList<>();
    private final Function<byte[], List<byte[]>> responder;

    RecordingNetlink(Function<byte[], List<byte[]>> responder) {
        super(null);
        this.responder = responder;
    }

    /** Acknowledges every request; dumps end empty. */
    static RecordingNetlink acking() {
        return new RecordingNetlink(req -> List.of(isDump(req) ? done(seq(req)) : ack(seq(req), 0)));
    }

    @Override
    <T> T inNetns(NetnsRef netns, Work<T> work) throws NetOperationException {
        namespaces.add(netns);
        Deque<byte[]> pending = new ArrayDeque<>();
        return work.run(new NetlinkChannel(new NetlinkChannel.Transport() {
            @Override
            public void send(byte[] message) {
                requests.add(HexFormat.of().formatHex(message));
                pending.addAll(responder.apply(message));
            }

            @Override
            public int receive(byte[] buffer) {
                if (pending.isEmpty()) {
                    return 0;
                }
                byte[] d = pending.poll();
                System.arraycopy(d, 0, buffer, 0, d.length);
                return d.length;
            }
        }));
    }

    static int seq(byte[] req) {
        return ByteBuffer.wrap(req).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
    }

    static int type(byte[] req) {
        return Short.toUnsignedInt(
                ByteBuffer.wrap(req).order(ByteOrder.LITTLE_ENDIAN).getShort(4));
    }

    static boolean isDump(byte[] req) {
        return (ByteBuffer.wrap(req).order(ByteOrder.LITTLE_ENDIAN).getShort(6) & 0x300) == 0x300;
    }

    /** NLMSG_ERROR with {@code error} (0: an ack), capped echo, optional extended-ack text. */
    static byte[] ack(int seq, int error, String... extAck) {
        NetlinkMessage m = new NetlinkMessage(NetlinkMessage.NLMSG_ERROR, extAck.length > 0 ? 0x300 : 0x100)
                .body(NetlinkMessage.le(20).putInt(error).putInt(16).array());
        if (extAck.length > 0) {
            m.attrString(1, extAck[0]);
        }
        return m.build(seq);
    }

    static byte[] done(int seq) {
        return new NetlinkMessage(NetlinkMessage.NLMSG_DONE, NetlinkMessage.NLM_F_MULTI)
                .body(new byte[4])
                .build(seq);
    }

    /** Several messages in one datagram. */
    static byte[] datagram(byte[]... messages) {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        for (byte[] m : messages) {
            b.put(m);
            while (b.position() % 4 != 0) {
                b.put((byte) 0);
            }
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }
}
