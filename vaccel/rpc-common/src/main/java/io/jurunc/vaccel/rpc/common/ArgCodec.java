package io.jurunc.vaccel.rpc.common;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.ArgType;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.rpc.proto.GenopProto;

/** Converts vAccel args to and from {@code genop.Arg} (whole args; chunks are handled by {@link Chunker}). */
public final class ArgCodec {
    private ArgCodec() {}

    public static GenopProto.Arg toProto(Arg a) {
        return GenopProto.Arg.newBuilder()
                .setBuf(UnsafeByteOperations.unsafeWrap(a.buffer()))
                .setSize(a.size())
                .setArgTypeValue(a.type().wire())
                .setCustomTypeId(a.customTypeId())
                .build();
    }

    /** A whole (unchunked) arg; {@code size} must equal the buffer length, as vAccel's agent enforces. */
    public static Arg fromProto(GenopProto.Arg p) {
        if (p.getParts() > 1) {
            throw new VaccelException.InvalidArgumentException(
                    "arg is chunk " + p.getPartNo() + "/" + p.getParts() + " outside a chunked genop");
        }
        if (Integer.toUnsignedLong(p.getSize()) != p.getBuf().size()) {
            throw new VaccelException.InvalidArgumentException("arg size " + Integer.toUnsignedLong(p.getSize())
                    + " does not match its buffer (" + p.getBuf().size() + " bytes)");
        }
        return Arg.of(ArgType.fromWire(p.getArgTypeValue()), p.getBuf().toByteArray(), p.getCustomTypeId());
    }

    static ByteString wrap(byte[] b, int off, int len) {
        return UnsafeByteOperations.unsafeWrap(b, off, len);
    }
}
