package io.jurunc.runtime.vm;

/** How the monitor executes guest code. Chosen by a real probe, never by /dev/kvm's presence. */
public enum Accel {
    KVM,
    TCG
}
