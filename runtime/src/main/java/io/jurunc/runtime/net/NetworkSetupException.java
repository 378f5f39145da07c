package io.jurunc.runtime.net;

/**
 * Setting up a container's network failed at {@link #step()}. Whatever the setup had created before
 * that step has been removed again (failures of that clean-up are attached as suppressed).
 */
public class NetworkSetupException extends Exception {
    private final SetupStep step;

    public NetworkSetupException(SetupStep step, String message, Throwable cause) {
        super(message, cause);
        this.step = step;
    }

    public SetupStep step() {
        return step;
    }
}
