package io.jurunc.runtime.hooks;

/**
 * A hook in config.json that jurunc refuses at create: malformed ({@code path} not absolute, {@code
 * timeout} not positive), or of a stage a microVM has no place for ({@code createContainer}, {@code
 * startContainer}: runc runs them inside the container's mount namespace, after pivot_root, and a
 * microVM's container filesystem exists only inside the guest).
 */
public final class InvalidHookException extends HookException {
    private final HookStage stage;

    public InvalidHookException(HookStage stage, String message) {
        super(message);
        this.stage = stage;
    }

    public HookStage stage() {
        return stage;
    }
}
