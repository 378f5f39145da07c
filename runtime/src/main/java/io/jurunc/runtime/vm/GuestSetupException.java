package io.jurunc.runtime.vm;

/**
 * The spec asks for something the guest or monitor cannot do (no root filesystem for a Linux
 * guest, a block device for a guest without block support, vsock on Solo5, KVM missing).
 */
public final class GuestSetupException extends VmConfigException {
    public GuestSetupException(String message) {
        super(message);
    }
}
