package io.jurunc.vaccel;

import java.util.List;

/** vAccel's FPGA genop layouts (read / write counts and arg types), checked before a plugin sees them. */
final class FpgaLayout {
    private FpgaLayout() {}

    static void check(OpType op, List<Arg> read, List<Arg> write) {
        int reads = op == OpType.FPGA_ARRAYCOPY ? 1 : 2;
        int writes = op == OpType.FPGA_PARALLEL ? 2 : 1;
        ArgType type = op == OpType.FPGA_ARRAYCOPY ? ArgType.INT32_ARRAY : ArgType.FLOAT32_ARRAY;
        if (read.size() != reads || write.size() != writes) {
            throw new VaccelException.InvalidArgumentException("Wrong number of arguments in " + op.label() + ": "
                    + read.size() + " read / " + write.size() + " write, expected " + reads + " / " + writes);
        }
        for (List<Arg> args : List.of(read, write)) {
            for (Arg a : args) {
                if (a.type() != type || a.size() % 4 != 0) {
                    throw new VaccelException.InvalidArgumentException(
                            op.label() + " needs " + type + " args, got " + a.type() + " of " + a.size() + " bytes");
                }
            }
        }
    }
}
