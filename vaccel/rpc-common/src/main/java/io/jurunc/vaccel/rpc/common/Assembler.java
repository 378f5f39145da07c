package io.jurunc.vaccel.rpc.common;

import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.ArgType;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.rpc.proto.GenopProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Reassembles chunked args ({@code parts}/{@code part_no}) in arrival order. Chunks of one arg must be
 * consecutive and numbered 1..N; the full {@code size} is allocated once (bounded by {@code maxArgBytes}).
 */
public final class Assembler {
    private final long maxArgBytes;
    private final List<Arg> done = new ArrayList<>();
    private byte[] partial;
    private int filled;
    private int expectedPart;
    private GenopProto.Arg first;

    public Assembler(long maxArgBytes) {
        this.maxArgBytes = maxArgBytes;
    }

    public void add(GenopProto.Arg a) {
        int parts = a.getParts();
        if (parts <= 1) {
            if (partial != null) {
                throw new VaccelException.InvalidArgumentException(
                        "arg chunk " + expectedPart + " missing: got a whole arg instead");
            }
            done.add(ArgCodec.fromProto(a));
            return;
        }
        long size = Integer.toUnsignedLong(a.getSize());
        if (partial == null) {
            if (a.getPartNo() != 1) {
                throw new VaccelException.InvalidArgumentException(
                        "chunked arg starts with part " + a.getPartNo() + ", expected 1");
            }
            if (size > maxArgBytes) {
                throw new VaccelException.InvalidArgumentException(
                        "chunked arg of " + size + " bytes exceeds the agent's limit of " + maxArgBytes);
            }
            partial = new byte[(int) size];
            filled = 0;
            expectedPart = 1;
            first = a;
        }
        if (a.getPartNo() != expectedPart || a.getParts() != first.getParts() || size != partial.length) {
            throw new VaccelException.InvalidArgumentException("arg chunk " + a.getPartNo() + "/" + parts
                    + " out of order (expected " + expectedPart + "/" + first.getParts() + ")");
        }
        int n = a.getBuf().size();
        if (filled + n > partial.length) {
            throw new VaccelException.InvalidArgumentException("arg chunks exceed the declared size " + partial.length);
        }
        a.getBuf().copyTo(partial, filled);
        filled += n;
        if (a.getPartNo() == parts) {
            if (filled != partial.length) {
                throw new VaccelException.InvalidArgumentException(
                        "chunked arg has " + filled + " of " + partial.length + " bytes");
            }
            done.add(Arg.of(ArgType.fromWire(first.getArgTypeValue()), partial, first.getCustomTypeId()));
            partial = null;
        } else {
            expectedPart++;
        }
    }

    public boolean inChunk() {
        return partial != null;
    }

    public List<Arg> args() {
        if (partial != null) {
            throw new VaccelException.InvalidArgumentException("the last chunked arg is incomplete");
        }
        return List.copyOf(done);
    }

    public int count() {
        return done.size();
    }
}
