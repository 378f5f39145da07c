package io.jurunc.runtime.vm;

/** The monitor's executable is missing; the message says which and how to configure its path. */
public final class MonitorNotFoundException extends VmConfigException {
    private final MonitorType monitor;

    public MonitorNotFoundException(MonitorType monitor, String message) {
        super(message);
        this.monitor = monitor;
    }

    public MonitorType monitor() {
        return monitor;
    }
}
