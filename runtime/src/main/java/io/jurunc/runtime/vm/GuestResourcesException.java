package io.jurunc.runtime.vm;

/** The container's memory limit or CPU settings cannot be turned into guest RAM and vCPUs. */
public final class GuestResourcesException extends VmConfigException {
    public GuestResourcesException(String message) {
        super(message);
    }
}
