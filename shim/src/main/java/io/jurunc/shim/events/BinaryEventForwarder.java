package io.jurunc.shim.events;

import io.jurunc.shim.os.CommandResult;
import io.jurunc.shim.os.CommandSpec;
import io.jurunc.shim.os.OsException;
import io.jurunc.shim.os.ShimOs;
import io.jurunc.shim.proto.events.Envelope;
import java.io.IOException;
import java.util.List;

/**
 * Forwards envelopes through {@code -publish-binary}: {@code containerd --address <grpc> publish --topic T
 * --namespace N} with the event {@code Any} on stdin (the older shim mechanism; used when containerd gave
 * no ttrpc address).
 */
public final class BinaryEventForwarder implements EventForwarder {
    private final String binary;
    private final String grpcAddress;
    private final ShimOs os;

    public BinaryEventForwarder(String binary, String grpcAddress, ShimOs os) {
        this.binary = binary;
        this.grpcAddress = grpcAddress;
        this.os = os;
    }

    static List<String> argv(String binary, String address, Envelope e) {
        return List.of(
                binary, "--address", address, "publish", "--topic", e.getTopic(), "--namespace", e.getNamespace());
    }

    @Override
    public void forward(Envelope envelope) throws IOException {
        try {
            CommandResult r = os.run(CommandSpec.of(argv(binary, grpcAddress, envelope))
                    .withInput(envelope.getEvent().toByteArray()));
            if (!r.ok()) {
                throw new IOException(binary + " publish " + envelope.getTopic() + " failed: "
                        + r.stderr().strip());
            }
        } catch (OsException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
