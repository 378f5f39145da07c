package io.jurunc.vaccel.agent;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.jurunc.ttrpc.CallContext;
import io.jurunc.ttrpc.InboundStream;
import io.jurunc.ttrpc.StatusCode;
import io.jurunc.ttrpc.TtrpcException;
import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.ImageResult;
import io.jurunc.vaccel.OpType;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.prof.Profiler;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.common.ArgCodec;
import io.jurunc.vaccel.rpc.common.Assembler;
import io.jurunc.vaccel.rpc.proto.GenopProto;
import io.jurunc.vaccel.rpc.proto.ImageProto;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** ImageClassification, Genop and GenopStream. */
final class OpMethods {
    /** Largest arg the agent assembles from GenopStream chunks (a Java array; vAccel's Arg.size is uint32). */
    static final long MAX_ARG_BYTES = Integer.MAX_VALUE - 8;
    /** Largest total of args one GenopStream may carry. */
    static final long MAX_STREAM_BYTES = 4L << 30;

    private final AgentState state;

    OpMethods(AgentState state) {
        this.state = state;
    }

    /**
     * As vAccel's agent: the tags go into a 1024-byte zero-padded buffer (longer tags are cut), which is
     * what the client copies its own buffer's length from.
     */
    ImageProto.Response classify(ImageProto.Request req, CallContext ctx) throws TtrpcException {
        Session s = state.session(ctx, req.getSessionId());
        ImageResult r;
        try (Profiler.Timer t = state.profiler(s.id()).start("image_classify > sess.classify")) {
            r = s.classify(req.getImage().toByteArray());
        }
        byte[] tags = new byte[AgentProtocol.CLASSIFY_TAGS_LEN];
        byte[] text = r.tags().getBytes(StandardCharsets.UTF_8);
        System.arraycopy(text, 0, tags, 0, Math.min(text.length, tags.length - 1));
        return ImageProto.Response.newBuilder()
                .setTags(UnsafeByteOperations.unsafeWrap(tags))
                .build();
    }

    GenopProto.Response genop(GenopProto.Request req, CallContext ctx) throws TtrpcException {
        Session s = state.session(ctx, req.getSessionId());
        Profiler prof = state.profiler(s.id());
        List<Arg> read;
        List<Arg> write;
        try (Profiler.Timer t = prof.start("genop > read_args")) {
            read = decode(req.getReadArgsList());
            write = decode(req.getWriteArgsList());
        }
        return runGenop(s, prof, read, write);
    }

    /**
     * vAccel's client-streaming genop: each message is a {@code genop.Request} with some of the args (read
     * args first, then write args); an arg larger than a message comes as numbered chunks, reassembled here.
     * The op runs once the client closes the stream.
     */
    byte[] genopStream(InboundStream messages, CallContext ctx) throws TtrpcException {
        return Handlers.call(() -> {
            Session s = null;
            Assembler read = new Assembler(MAX_ARG_BYTES);
            Assembler write = new Assembler(MAX_ARG_BYTES);
            long total = 0;
            for (Optional<byte[]> m = messages.next(); m.isPresent(); m = messages.next()) {
                GenopProto.Request req = parse(m.get());
                if (s == null) {
                    s = state.session(ctx, req.getSessionId());
                }
                for (GenopProto.Arg a : req.getReadArgsList()) {
                    total = count(total, a);
                    read.add(a);
                }
                for (GenopProto.Arg a : req.getWriteArgsList()) {
                    total = count(total, a);
                    write.add(a);
                }
            }
            if (s == null) {
                s = state.session(ctx, 0);
            }
            return runGenop(s, state.profiler(s.id()), read.args(), write.args())
                    .toByteArray();
        });
    }

    private static long count(long total, GenopProto.Arg a) throws TtrpcException {
        long t = total + a.getBuf().size();
        if (t > MAX_STREAM_BYTES) {
            throw new TtrpcException(
                    StatusCode.INVALID_ARGUMENT,
                    "GenopStream carries more than " + MAX_STREAM_BYTES + " bytes of args");
        }
        return t;
    }

    private static GenopProto.Request parse(byte[] payload) throws TtrpcException {
        try {
            // a wrapped ByteString's input is immutable, so protobuf aliases the args instead of copying them
            CodedInputStream in =
                    com.google.protobuf.UnsafeByteOperations.unsafeWrap(payload).newCodedInput();
            in.enableAliasing(true);
            return GenopProto.Request.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new TtrpcException(StatusCode.INVALID_ARGUMENT, e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new TtrpcException(StatusCode.INVALID_ARGUMENT, e.getMessage(), e);
        }
    }

    private static List<Arg> decode(List<GenopProto.Arg> args) {
        List<Arg> out = new ArrayList<>(args.size());
        for (GenopProto.Arg a : args) {
            out.add(ArgCodec.fromProto(a));
        }
        return out;
    }

    private static GenopProto.Response runGenop(Session s, Profiler prof, List<Arg> read, List<Arg> write) {
        if (!read.isEmpty() && read.getFirst().size() == 1 && read.getFirst().buffer()[0] == OpType.NOOP.wire()) {
            // vAccel's agent refuses op 0 with EINVAL; its rpc plugin completes noop locally instead
            throw new VaccelException.InvalidArgumentException("genop: op type 0 (noop) is not served through genop");
        }
        try (Profiler.Timer t = prof.start("genop > sess.genop")) {
            s.genop(read, write);
        }
        GenopProto.Response.Builder out = GenopProto.Response.newBuilder();
        try (Profiler.Timer t = prof.start("genop > resp_write_args")) {
            for (Arg a : write) {
                out.addWriteArgs(ArgCodec.toProto(a));
            }
        }
        return out.build();
    }
}
