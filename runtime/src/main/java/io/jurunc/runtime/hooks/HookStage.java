package io.jurunc.runtime.hooks;

/** The runtime-spec's hook stages, by their config.json name. */
public enum HookStage {
    PRESTART("prestart"),
    CREATE_RUNTIME("createRuntime"),
    CREATE_CONTAINER("createContainer"),
    START_CONTAINER("startContainer"),
    POSTSTART("poststart"),
    POSTSTOP("poststop");

    private final String specName;

    HookStage(String specName) {
        this.specName = specName;
    }

    /** The key under {@code hooks} in config.json. */
    public String specName() {
        return specName;
    }
}
