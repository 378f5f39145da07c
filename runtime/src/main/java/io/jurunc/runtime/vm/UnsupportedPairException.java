package io.jurunc.runtime.vm;

import java.util.List;
import java.util.stream.Collectors;

/** The guest kind cannot run on the requested monitor. */
public final class UnsupportedPairException extends VmConfigException {
    private final GuestType guest;
    private final MonitorType monitor;
    private final List<MonitorType> allowed;

    public UnsupportedPairException(GuestType guest, MonitorType monitor, List<MonitorType> allowed) {
        super("unikernel type '"
                + guest.key()
                + "' cannot run on hypervisor '"
                + monitor.key()
                + "'; set com.urunc.unikernel.hypervisor to one of: "
                + allowed.stream().map(MonitorType::key).collect(Collectors.joining(", ")));
        this.guest = guest;
        this.monitor = monitor;
        this.allowed = List.copyOf(allowed);
    }

    public GuestType guest() {
        return guest;
    }

    public MonitorType monitor() {
        return monitor;
    }

    /** The monitors this guest can run on. */
    public List<MonitorType> allowed() {
        return allowed;
    }
}
