package io.jurunc.ttrpc;

import java.io.IOException;

/** The address needs a transport the JDK does not provide (vsock). */
public final class UnsupportedTransportException extends IOException {
    public UnsupportedTransportException(TtrpcAddress address) {
        super("no built-in transport for " + address + ": open the vsock socket yourself (FFM) and pass it as a "
                + "Connection to TtrpcClient.over(...) or TtrpcServer.serveConnection(...), or as a Listener");
    }
}
