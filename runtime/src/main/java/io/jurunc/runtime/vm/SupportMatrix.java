package io.jurunc.runtime.vm;

import java.util.List;

/**
 * The guest × monitor allow-list, derived from the guests and monitors themselves: a pair is
 * supported when the guest names the monitor ({@link GuestType#monitors()}) or the monitor names the
 * guest ({@link MonitorType#guests()}). Today's pairs are urunc's supportedGuestMonitorPairs (minus
 * hyperlight), plus Rumprun on QEMU (Rumprun's Solo5 virtio target boots on QEMU as Solo5's virtio
 * binaries do; its command line is the same JSON as on hvt/spt).
 */
public final class SupportMatrix {
    private SupportMatrix() {}

    public static boolean supports(GuestType guest, MonitorType monitor) {
        return guest.monitors().contains(monitor.key()) || monitor.guests().contains(guest.key());
    }

    /** The monitors a guest can run on, in {@link MonitorType#all()} order. */
    public static List<MonitorType> monitorsFor(GuestType guest) {
        return MonitorType.all().stream().filter(m -> supports(guest, m)).toList();
    }

    /** Throws when the pair is not in the allow-list. */
    public static void check(GuestType guest, MonitorType monitor) throws UnsupportedPairException {
        if (!supports(guest, monitor)) {
            throw new UnsupportedPairException(guest, monitor, monitorsFor(guest));
        }
    }
}
