package io.jurunc.runtime.net;

import java.util.Optional;

/** Creates tap devices inside a network namespace. Deleting one goes through {@link NetTool}. */
public interface TunTap {
    /**
     * Creates a persistent, single-queue tap named {@code name} in {@code netns} with the flags
     * urunc's taps have ({@code IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_ONE_QUEUE}), owned by {@code
     * owner} when given. Fails if a device with that name exists. The tap is left down.
     */
    void createTap(NetnsRef netns, String name, Optional<TapOwner> owner) throws NetOperationException;
}
