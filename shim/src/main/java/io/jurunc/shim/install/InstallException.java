package io.jurunc.shim.install;

/** The host is not in a state {@code install containerd} can safely change; the message says how to fix it. */
public final class InstallException extends Exception {
    public InstallException(String message) {
        super(message);
    }
}
