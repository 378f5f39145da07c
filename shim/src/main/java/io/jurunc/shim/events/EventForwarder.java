package io.jurunc.shim.events;

import io.jurunc.shim.proto.events.Envelope;
import java.io.IOException;

/** Delivers one event envelope to containerd. */
public interface EventForwarder extends AutoCloseable {
    void forward(Envelope envelope) throws IOException;

    @Override
    default void close() {}
}
