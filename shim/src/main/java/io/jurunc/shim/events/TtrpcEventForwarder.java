package io.jurunc.shim.events;

import com.google.protobuf.Empty;
import io.jurunc.shim.proto.events.Envelope;
import io.jurunc.shim.proto.events.ForwardRequest;
import io.jurunc.ttrpc.CallOptions;
import io.jurunc.ttrpc.TtrpcClient;
import io.jurunc.ttrpc.TtrpcException;
import java.io.IOException;
import java.time.Duration;

/**
 * Forwards envelopes over ttrpc to containerd's {@code containerd.services.events.ttrpc.v1.Events/Forward}
 * at {@code TTRPC_ADDRESS}, reconnecting after a failure (5 s per call, as containerd's shims).
 */
public final class TtrpcEventForwarder implements EventForwarder {
    static final String SERVICE = "containerd.services.events.ttrpc.v1.Events";
    private final String address;
    private TtrpcClient client;

    public TtrpcEventForwarder(String address) {
        this.address = address;
    }

    @Override
    public synchronized void forward(Envelope envelope) throws IOException {
        if (client == null) {
            client = TtrpcClient.connect(address);
        }
        try {
            client.call(
                    SERVICE,
                    "Forward",
                    ForwardRequest.newBuilder().setEnvelope(envelope).build(),
                    Empty.parser(),
                    CallOptions.timeout(Duration.ofSeconds(5))
                            .withMetadata("containerd-namespace-ttrpc", envelope.getNamespace()));
        } catch (TtrpcException e) {
            close();
            throw new IOException("Forward " + envelope.getTopic() + " to " + address + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
