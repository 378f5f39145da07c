package io.jurunc.runtime.net;

/** The user and group that may open the tap without privileges (TUNSETOWNER / TUNSETGROUP). */
public record TapOwner(int uid, int gid) {
    public TapOwner {
        if (uid < 0 || gid < 0) {
            throw new IllegalArgumentException("tap owner uid/gid must be >= 0, got " + uid + ":" + gid);
        }
    }
}
