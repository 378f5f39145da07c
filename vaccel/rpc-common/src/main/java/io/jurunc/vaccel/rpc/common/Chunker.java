package io.jurunc.vaccel.rpc.common;

import com.google.protobuf.ByteString;
import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.rpc.proto.GenopProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits genop args into messages of at most {@code limit} bytes, like vAccel's streaming genop client:
 * args are packed into a message until the next would exceed the limit; an arg larger than that is cut
 * into chunks, each alone in its message with {@code parts = N}, {@code part_no = 1..N} and {@code size}
 * = the full length. Read args come first, then write args.
 */
public final class Chunker {
    /** Room left in each message for the envelope and field tags. */
    static final int OVERHEAD = 1024;

    private Chunker() {}

    /** One piece of output: args for the read list and args for the write list. */
    public record Piece(List<GenopProto.Arg> read, List<GenopProto.Arg> write) {
        long bytes() {
            long n = 0;
            for (GenopProto.Arg a : read) {
                n += a.getBuf().size() + 16;
            }
            for (GenopProto.Arg a : write) {
                n += a.getBuf().size() + 16;
            }
            return n;
        }
    }

    public static List<Piece> split(List<Arg> read, List<Arg> write, int limit) {
        List<Piece> out = new ArrayList<>();
        Builder b = new Builder(out, limit);
        for (Arg a : read) {
            b.add(a, false);
        }
        for (Arg a : write) {
            b.add(a, true);
        }
        b.flush();
        if (out.isEmpty()) {
            out.add(new Piece(List.of(), List.of()));
        }
        return out;
    }

    /** Splits already-encoded args (the agent's write args for a response). */
    public static List<Piece> splitProto(List<GenopProto.Arg> write, int limit) {
        List<Piece> out = new ArrayList<>();
        Builder b = new Builder(out, limit);
        for (GenopProto.Arg a : write) {
            b.add(a, true);
        }
        b.flush();
        if (out.isEmpty()) {
            out.add(new Piece(List.of(), List.of()));
        }
        return out;
    }

    private static final class Builder {
        private final List<Piece> out;
        private final int chunk;
        private final int limit;
        private List<GenopProto.Arg> read = new ArrayList<>();
        private List<GenopProto.Arg> write = new ArrayList<>();
        private long bytes;

        Builder(List<Piece> out, int limit) {
            this.out = out;
            this.limit = limit;
            this.chunk = limit - OVERHEAD;
        }

        void add(Arg a, boolean isWrite) {
            add(ArgCodec.toProto(a), isWrite);
        }

        void add(GenopProto.Arg a, boolean isWrite) {
            int size = a.getBuf().size();
            if (size <= chunk) {
                if (bytes + size + 16 > limit - OVERHEAD) {
                    flush();
                }
                (isWrite ? write : read).add(a);
                bytes += size + 16;
                return;
            }
            flush();
            ByteString buf = a.getBuf();
            int parts = (size + chunk - 1) / chunk;
            for (int i = 0; i < parts; i++) {
                int off = i * chunk;
                GenopProto.Arg piece = a.toBuilder()
                        .setBuf(buf.substring(off, Math.min(size, off + chunk)))
                        .setSize(size)
                        .setParts(parts)
                        .setPartNo(i + 1)
                        .build();
                (isWrite ? write : read).add(piece);
                bytes = size;
                flush();
            }
        }

        void flush() {
            if (!read.isEmpty() || !write.isEmpty()) {
                out.add(new Piece(List.copyOf(read), List.copyOf(write)));
                read = new ArrayList<>();
                write = new ArrayList<>();
                bytes = 0;
            }
        }
    }
}
