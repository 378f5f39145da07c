package io.jurunc.vaccel.rpc;

import io.jurunc.ttrpc.CallOptions;
import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.common.ArgCodec;
import io.jurunc.vaccel.rpc.common.Assembler;
import io.jurunc.vaccel.rpc.common.Chunker;
import io.jurunc.vaccel.rpc.proto.GenopProto;
import java.util.List;

/**
 * Sends a genop to the agent. Small genops are one plain vAccel Genop call. Genops over 4 MiB are chunked
 * ({@link Chunker}) into several unary Genop calls marked {@code vaccel-chunking: more|last}; a chunked
 * response is fetched with {@code continue} calls. Results are copied into the caller's write args.
 */
final class RemoteGenop {
    private RemoteGenop() {
    }

    static void run(AgentClient client, long remoteSession, List<Arg> read, List<Arg> write) {
        long total = 0;
        for (Arg a : read) {
            total += a.size() + 16;
        }
        for (Arg a : write) {
            total += a.size() + 16;
        }
        GenopProto.Response resp;
        if (total < AgentProtocol.CHUNK_REQUEST_LIMIT - CHUNK_MARGIN) {
            GenopProto.Request.Builder req = GenopProto.Request.newBuilder().setSessionId(remoteSession);
            read.forEach(a -> req.addReadArgs(ArgCodec.toProto(a)));
            write.forEach(a -> req.addWriteArgs(ArgCodec.toProto(a)));
            resp = client.call(AgentProtocol.GENOP, req.build(), GenopProto.Response.parser());
            copyBack(resp.getWriteArgsList(), write);
            return;
        }
        List<Chunker.Piece> pieces = Chunker.split(read, write, AgentProtocol.CHUNK_REQUEST_LIMIT);
        for (int i = 0; i < pieces.size(); i++) {
            Chunker.Piece p = pieces.get(i);
            boolean last = i == pieces.size() - 1;
            GenopProto.Request req = GenopProto.Request.newBuilder().setSessionId(remoteSession)
                .addAllReadArgs(p.read()).addAllWriteArgs(p.write()).build();
            resp = client.call(AgentProtocol.GENOP, req, GenopProto.Response.parser(),
                CallOptions.none().withMetadata(AgentProtocol.CHUNKING_KEY, last ? "last" : "more"));
            if (last) {
                Assembler out = new Assembler(AgentProtocol.MAX_MESSAGE_LENGTH);
                resp.getWriteArgsList().forEach(out::add);
                while (out.count() < write.size() || out.inChunk()) {
                    GenopProto.Response more = client.call(AgentProtocol.GENOP,
                        GenopProto.Request.newBuilder().setSessionId(remoteSession).build(), GenopProto.Response.parser(),
                        CallOptions.none().withMetadata(AgentProtocol.CHUNKING_KEY, "continue"));
                    if (more.getWriteArgsCount() == 0) {
                        throw new VaccelException.BackendException("agent sent an empty chunked genop response");
                    }
                    more.getWriteArgsList().forEach(out::add);
                }
                copyBackArgs(out.args(), write);
            }
        }
    }

    private static final int CHUNK_MARGIN = 4096;

    /** Copies returned buffers straight into the caller's write args (no intermediate Arg). */
    private static void copyBack(List<GenopProto.Arg> returned, List<Arg> write) {
        if (returned.size() != write.size()) {
            throw new VaccelException.BackendException("agent returned " + returned.size() + " write args, expected " + write.size());
        }
        for (int i = 0; i < write.size(); i++) {
            com.google.protobuf.ByteString b = returned.get(i).getBuf();
            byte[] dst = write.get(i).buffer();
            (b.size() <= dst.length ? b : b.substring(0, dst.length)).copyTo(dst, 0);
        }
    }

    private static void copyBackArgs(List<Arg> returned, List<Arg> write) {
        if (returned.size() != write.size()) {
            throw new VaccelException.BackendException("agent returned " + returned.size() + " write args, expected " + write.size());
        }
        for (int i = 0; i < write.size(); i++) {
            write.get(i).fill(returned.get(i).buffer());
        }
    }
}
