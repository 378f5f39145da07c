package io.jurunc.runtime.vm;

/**
 * A sandbox cannot be configured as asked: the message names the problem and the fix. Thrown
 * before anything is created, so a failure leaves nothing behind.
 */
public abstract sealed class VmConfigException extends Exception
        permits UnsupportedPairException,
                GuestResourcesException,
                MonitorNotFoundException,
                GuestSetupException,
                MountException {
    protected VmConfigException(String message) {
        super(message);
    }
}
