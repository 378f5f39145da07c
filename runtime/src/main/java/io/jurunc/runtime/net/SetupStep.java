package io.jurunc.runtime.net;

/** The steps of {@link ContainerNetwork#setup}, in order; errors name the step that failed. */
public enum SetupStep {
    INSPECT("read links and routes"),
    REMOVE_STALE("remove this container's stale tap"),
    CHECK_INTERFACE("check the container interface can be bridged to a tap"),
    CHECK_CONFLICT("check for another sandbox in the network namespace"),
    CREATE_TAP("create tap"),
    CONFIGURE_TAP("set tap mtu and bring it up"),
    ADD_TAP_QDISC("add ingress qdisc on the tap"),
    ADD_INTERFACE_QDISC("add ingress qdisc on the container interface"),
    REDIRECT_TAP_TO_INTERFACE("redirect tap ingress to the container interface"),
    REDIRECT_INTERFACE_TO_TAP("redirect container interface ingress to the tap");

    private final String description;

    SetupStep(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
