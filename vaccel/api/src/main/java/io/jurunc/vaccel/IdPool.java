package io.jurunc.vaccel;

import java.util.BitSet;

/** vAccel's id pools: ids 1..max, lowest free first; 0 is never handed out. */
final class IdPool {
    private final int max;
    private final String what;
    private final BitSet used = new BitSet();

    IdPool(String what, int max) {
        this.what = what;
        this.max = max;
    }

    synchronized long acquire() {
        int id = used.nextClearBit(1);
        if (id > max) {
            throw new VaccelException(Errno.EUSERS, "too many " + what + " (at most " + max + "); release some first");
        }
        used.set(id);
        return id;
    }

    synchronized void release(long id) {
        used.clear((int) id);
    }
}
