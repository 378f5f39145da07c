package io.jurunc.shim.start;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.jurunc.shim.proto.bootstrap.BootstrapParams;
import java.util.Optional;

/**
 * What containerd wrote on the stdin of {@code start}: the bootstrap parameters of containerd &ge; 2.3,
 * or (older) the runtime options {@code Any}, or nothing.
 */
public sealed interface Bootstrap {
    /** containerd &ge; 2.3; answer with a protobuf {@code BootstrapResult}. */
    record Params(BootstrapParams params) implements Bootstrap {}

    /** containerd &le; 2.2: optional runtime options; answer with a plain address. */
    record Legacy(Optional<Any> options) implements Bootstrap {}

    /**
     * Disambiguates as containerd's shim library does: the input is bootstrap params only if it parses
     * as such and names this very instance and namespace; otherwise it is the legacy options (which we
     * keep only if they parse as an {@code Any} with a type URL).
     */
    static Bootstrap decode(byte[] stdin, String id, String namespace) {
        if (stdin.length == 0) {
            return new Legacy(Optional.empty());
        }
        try {
            BootstrapParams p = BootstrapParams.parseFrom(stdin);
            if (p.getInstanceId().equals(id) && p.getNamespace().equals(namespace)) {
                return new Params(p);
            }
        } catch (InvalidProtocolBufferException ignored) {
            // not bootstrap params: fall back
        }
        try {
            Any any = Any.parseFrom(stdin);
            return new Legacy(any.getTypeUrl().isEmpty() ? Optional.empty() : Optional.of(any));
        } catch (InvalidProtocolBufferException e) {
            return new Legacy(Optional.empty());
        }
    }

    /** The socket directory: the bootstrap's {@code socket_dir} if given, else containerd's default. */
    default java.nio.file.Path socketRoot() {
        return this instanceof Params(BootstrapParams p)
                        && p.hasSocketDir()
                        && !p.getSocketDir().isEmpty()
                ? java.nio.file.Path.of(p.getSocketDir())
                : SocketAddress.DEFAULT_ROOT;
    }
}
