package io.jurunc.ttrpc;

/**
 * Serves a client-streaming method (ttrpc protocol 1.2): the client opens the stream with a REQUEST
 * flagged remote-open, sends its messages as DATA frames and closes its side; the handler reads them from
 * {@link InboundStream} and returns the one response payload.
 *
 * <p>Throw {@link TtrpcException} to answer with a status. The handler runs on its own virtual thread; the
 * connection's reader blocks when the handler falls behind by more than a couple of messages.
 */
@FunctionalInterface
public interface ClientStreamHandler {
    byte[] handle(InboundStream messages, CallContext context) throws TtrpcException;
}
