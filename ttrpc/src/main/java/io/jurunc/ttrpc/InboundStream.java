package io.jurunc.ttrpc;

import java.util.Optional;

/** The messages a client sends on a stream, in order, as raw payloads. */
public interface InboundStream {
    /**
     * Blocks for the next message.
     *
     * @return the payload, or empty once the client has closed its side (and on every later call)
     * @throws TtrpcConnectionException when the connection closes before the client closed the stream
     */
    Optional<byte[]> next() throws TtrpcException;
}
