package io.jurunc.runtime.net;

import io.jurunc.libc.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Request/reply over one rtnetlink socket: numbers the requests, collects the replies that carry
 * the request's sequence number up to its acknowledgement (or the end of a dump), and turns an
 * error reply into a {@link NetOperationException} naming the errno and the kernel's extended ack
 * message when there is one. The bytes go through a {@link Transport}: the socket, or a recording
 * fake in tests.
 */
final class NetlinkChannel {
    /** Datagrams in and out. */
    interface Transport {
        void send(byte[] message) throws NetOperationException;

        /** Reads one datagram into {@code buffer}; returns its length. */
        int receive(byte[] buffer) throws NetOperationException;
    }

    static final int RECEIVE_BUFFER = 64 * 1024;
    private static final int NLMSGERR_ATTR_MSG = 1;
    private static final int NLM_F_CAPPED = 0x100;
    private static final int NLM_F_ACK_TLVS = 0x200;

    private final Transport transport;
    private final byte[] buffer = new byte[RECEIVE_BUFFER];
    private int seq;

    NetlinkChannel(Transport transport) {
        this.transport = transport;
    }

    /**
     * Sends {@code request} and returns its data replies (not the ack, not the end-of-dump marker).
     *
     * @param what names the operation in error messages, e.g. {@code "tc qdisc add dev eth0 ingress"}
     */
    List<NetlinkReply> exchange(NetlinkMessage request, boolean dump, String what) throws NetOperationException {
        int mySeq = ++seq;
        transport.send(request.build(mySeq));
        List<NetlinkReply> replies = new ArrayList<>();
        while (true) {
            int n = transport.receive(buffer);
            if (n <= 0) {
                throw new NetOperationException(what + ": the netlink socket closed before the answer");
            }
            for (NetlinkReply r : NetlinkReply.split(buffer, n)) {
                if (r.seq() != mySeq) {
                    continue; // a late answer to an earlier request
                }
                if (r.type() == NetlinkMessage.NLMSG_ERROR) {
                    int error = errorCode(r);
                    if (error != 0) {
                        throw new NetOperationException(what + ": " + Errno.describe(-error) + extAck(r));
                    }
                    return replies;
                }
                if (r.type() == NetlinkMessage.NLMSG_DONE) {
                    int error = r.payload().length >= 4 ? r.buffer().getInt(0) : 0;
                    if (error != 0) {
                        throw new NetOperationException(what + ": " + Errno.describe(-error) + " (dump)");
                    }
                    return replies;
                }
                replies.add(r);
                if (!dump
                        && (r.flags() & NetlinkMessage.NLM_F_MULTI) == 0
                        && (request.flags() & NetlinkMessage.NLM_F_ACK) == 0) {
                    return replies;
                }
            }
        }
    }

    private static int errorCode(NetlinkReply r) throws NetOperationException {
        r.requireHeader(4);
        return r.buffer().getInt(0);
    }

    /** The kernel's extended-ack text, after the echoed request (just its header when capped). */
    private static String extAck(NetlinkReply r) {
        if ((r.flags() & NLM_F_ACK_TLVS) == 0 || r.payload().length < 4 + NetlinkMessage.HEADER) {
            return "";
        }
        ByteBuffer b = ByteBuffer.wrap(r.payload()).order(ByteOrder.LITTLE_ENDIAN);
        int echoed = (r.flags() & NLM_F_CAPPED) != 0 ? NetlinkMessage.HEADER : b.getInt(4);
        int from = 4 + NetlinkReply.align(echoed);
        if (from > r.payload().length) {
            return "";
        }
        try {
            Map<Integer, byte[]> tlvs = NetlinkReply.parseAttributes(r.payload(), from, r.payload().length);
            return NetlinkReply.string(tlvs, NLMSGERR_ATTR_MSG)
                    .map(m -> " (" + m + ")")
                    .orElse("");
        } catch (NetOperationException e) {
            return "";
        }
    }
}
