package io.jurunc.runtime.vm;

/** Turns a validated {@link VmSpec} into the monitor's command line and config files. */
public interface MonitorBuilder {
    MonitorType type();

    MonitorInvocation build(VmSpec spec);
}
