package io.jurunc.runtime.vm.mount;

import io.jurunc.guest.GuestMount;
import io.jurunc.runtime.vm.SharedDir;
import java.util.List;

/**
 * What {@code spec.mounts} become for one guest: the directories the monitor shares, the mounts the
 * guest init makes (in the spec's order), and a note per mount that was left to the guest or
 * skipped.
 */
public record MountPlan(List<SharedDir> shares, List<GuestMount> guestMounts, List<String> notes) {
    public static final MountPlan EMPTY = new MountPlan(List.of(), List.of(), List.of());

    public MountPlan {
        shares = List.copyOf(shares);
        guestMounts = List.copyOf(guestMounts);
        notes = List.copyOf(notes);
    }
}
