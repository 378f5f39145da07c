package io.jurunc.runtime.vm;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The guest × monitor allow-list: urunc's supportedGuestMonitorPairs (minus hyperlight), plus Rumprun on
 * QEMU (Rumprun's Solo5 virtio target boots on QEMU as Solo5's virtio binaries do; its command line is the
 * same JSON as on hvt/spt).
 */
public final class SupportMatrix {
    private static final Map<MonitorType, Set<GuestType>> PAIRS = new EnumMap<>(MonitorType.class);

    static {
        PAIRS.put(MonitorType.HVT, EnumSet.of(GuestType.RUMPRUN, GuestType.MIRAGE));
        PAIRS.put(MonitorType.SPT, EnumSet.of(GuestType.RUMPRUN, GuestType.MIRAGE));
        PAIRS.put(
                MonitorType.QEMU,
                EnumSet.of(
                        GuestType.MEWZ,
                        GuestType.MIRAGE,
                        GuestType.RUMPRUN,
                        GuestType.UNIKRAFT,
                        GuestType.LINUX,
                        GuestType.HERMIT));
        PAIRS.put(MonitorType.FIRECRACKER, EnumSet.of(GuestType.LINUX, GuestType.UNIKRAFT));
        PAIRS.put(MonitorType.CLOUD_HYPERVISOR, EnumSet.of(GuestType.LINUX));
    }

    private SupportMatrix() {}

    public static boolean supports(GuestType guest, MonitorType monitor) {
        return PAIRS.getOrDefault(monitor, Set.of()).contains(guest);
    }

    /** The monitors a guest can run on, in {@link MonitorType} order. */
    public static List<MonitorType> monitorsFor(GuestType guest) {
        List<MonitorType> out = new ArrayList<>();
        for (MonitorType m : MonitorType.values()) {
            if (supports(guest, m)) {
                out.add(m);
            }
        }
        return List.copyOf(out);
    }

    /** Throws when the pair is not in the allow-list. */
    public static void check(GuestType guest, MonitorType monitor) throws UnsupportedPairException {
        if (!supports(guest, monitor)) {
            throw new UnsupportedPairException(guest, monitor, monitorsFor(guest));
        }
    }
}
