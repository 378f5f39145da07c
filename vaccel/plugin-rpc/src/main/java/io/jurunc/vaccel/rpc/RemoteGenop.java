package io.jurunc.vaccel.rpc;

import com.google.protobuf.ByteString;
import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.Errno;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.common.ArgCodec;
import io.jurunc.vaccel.rpc.common.Chunker;
import io.jurunc.vaccel.rpc.proto.GenopProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends a genop to the agent as vAccel's client does: whole, as one unary {@code Genop}, whenever it fits
 * the message limit; above it, as a {@code GenopStream} of pieces of at most 4 MiB ({@link Chunker}) if
 * the agent serves that method, else {@code ENOTSUP}. Results are copied into the caller's write args.
 */
final class RemoteGenop {
    /** Room for the request envelope and field tags around the args. */
    private static final int ENVELOPE = 4096;

    private RemoteGenop() {}

    static void run(AgentClient client, long remoteSession, List<Arg> read, List<Arg> write) {
        long total = ENVELOPE;
        for (Arg a : read) {
            total += a.size() + 16;
        }
        for (Arg a : write) {
            total += a.size() + 16;
        }
        GenopProto.Response resp;
        if (total <= client.messageLimit()) {
            GenopProto.Request.Builder req = GenopProto.Request.newBuilder().setSessionId(remoteSession);
            read.forEach(a -> req.addReadArgs(ArgCodec.toProto(a)));
            write.forEach(a -> req.addWriteArgs(ArgCodec.toProto(a)));
            resp = client.call(AgentProtocol.GENOP, req.build(), GenopProto.Response.parser());
        } else if (client.supportsGenopStream()) {
            List<GenopProto.Request> messages = new ArrayList<>();
            for (Chunker.Piece p :
                    Chunker.split(read, write, Math.min(AgentProtocol.CHUNK_REQUEST_LIMIT, client.messageLimit()))) {
                messages.add(GenopProto.Request.newBuilder()
                        .setSessionId(remoteSession)
                        .addAllReadArgs(p.read())
                        .addAllWriteArgs(p.write())
                        .build());
            }
            resp = client.stream(messages, GenopProto.Response.parser());
        } else {
            throw new VaccelException(
                    Errno.ENOTSUP,
                    "genop of " + total + " bytes exceeds the agent's message limit of " + client.messageLimit()
                            + " bytes, and the agent at " + client.address() + " has no GenopStream to chunk it");
        }
        copyBack(resp.getWriteArgsList(), write);
    }

    /** Copies returned buffers straight into the caller's write args (no intermediate Arg). */
    private static void copyBack(List<GenopProto.Arg> returned, List<Arg> write) {
        if (returned.size() != write.size()) {
            throw new VaccelException.BackendException(
                    "agent returned " + returned.size() + " write args, expected " + write.size());
        }
        for (int i = 0; i < write.size(); i++) {
            ByteString b = returned.get(i).getBuf();
            byte[] dst = write.get(i).buffer();
            (b.size() <= dst.length ? b : b.substring(0, dst.length)).copyTo(dst, 0);
        }
    }
}
