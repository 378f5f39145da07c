package io.jurunc.vaccel.rpc.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.ArgType;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.rpc.proto.GenopProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkingTest {
    private static final int LIMIT = 64 * 1024;

    private static Arg random(int size, int seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return Arg.of(ArgType.UINT8_ARRAY, b);
    }

    @Test
    void smallArgsArePackedAndBigOnesSplitIntoNumberedParts() {
        Arg small1 = Arg.string("lib");
        Arg big = random(3 * LIMIT + 5, 1);
        Arg small2 = Arg.int32(7);
        Arg out = random(LIMIT / 2, 2);
        List<Chunker.Piece> pieces = Chunker.split(List.of(small1, big, small2), List.of(out), LIMIT);
        for (Chunker.Piece p : pieces) {
            assertThat(p.bytes()).isLessThanOrEqualTo(LIMIT);
        }
        List<GenopProto.Arg> reads = new ArrayList<>();
        List<GenopProto.Arg> writes = new ArrayList<>();
        pieces.forEach(p -> {
            reads.addAll(p.read());
            writes.addAll(p.write());
        });
        List<GenopProto.Arg> parts =
                reads.stream().filter(a -> a.getParts() > 1).toList();
        assertThat(parts).hasSize(4).extracting(GenopProto.Arg::getPartNo).containsExactly(1, 2, 3, 4);
        assertThat(parts).allMatch(a -> a.getSize() == big.size() && a.getParts() == 4);

        Assembler r = new Assembler(1 << 30);
        reads.forEach(r::add);
        Assembler w = new Assembler(1 << 30);
        writes.forEach(w::add);
        assertThat(r.args()).hasSize(3);
        assertThat(r.args().get(0).asString()).isEqualTo("lib");
        assertThat(r.args().get(1).buffer()).isEqualTo(big.buffer());
        assertThat(r.args().get(2).asInt32()).isEqualTo(7);
        assertThat(w.args().getFirst().buffer()).isEqualTo(out.buffer());
    }

    @Test
    void assemblerRejectsBrokenChunkSequences() {
        GenopProto.Arg p1 = GenopProto.Arg.newBuilder()
                .setBuf(ArgCodec.wrap(new byte[10], 0, 10))
                .setSize(20)
                .setParts(2)
                .setPartNo(1)
                .build();
        GenopProto.Arg p2 = p1.toBuilder().setPartNo(2).build();
        Assembler a = new Assembler(100);
        assertThatThrownBy(() -> a.add(p2))
                .isInstanceOf(VaccelException.InvalidArgumentException.class)
                .hasMessageContaining("starts with part 2");
        Assembler b = new Assembler(100);
        b.add(p1);
        assertThatThrownBy(() -> b.add(p1)).hasMessageContaining("out of order");
        Assembler c = new Assembler(100);
        c.add(p1);
        assertThatThrownBy(c::args).hasMessageContaining("incomplete");
        assertThatThrownBy(() -> new Assembler(15).add(p1)).hasMessageContaining("exceeds the agent's limit");
        Assembler d = new Assembler(100);
        d.add(p1);
        d.add(p2);
        assertThat(d.args().getFirst().size()).isEqualTo(20);
        GenopProto.Arg lying = GenopProto.Arg.newBuilder()
                .setBuf(ArgCodec.wrap(new byte[3], 0, 3))
                .setSize(4)
                .setArgTypeValue(28)
                .build();
        assertThatThrownBy(() -> ArgCodec.fromProto(lying)).hasMessageContaining("does not match its buffer");
    }
}
