package io.jurunc.shim.start;

import io.jurunc.shim.proto.bootstrap.BootstrapResult;
import java.nio.charset.StandardCharsets;

/**
 * What {@code start} prints: the address, in the format containerd asked for (implicitly, by what it
 * sent on stdin). containerd parses protobuf first, then JSON, then a plain string.
 */
public record StartResult(SocketAddress address, int version, Format format) {
    /** Task API v3 for containerd 2.x (it then groups sandbox containers itself); v2 for 1.x. */
    public static final int BOOTSTRAP_VERSION = 3;

    public static final int LEGACY_VERSION = 2;

    public enum Format {
        PROTOBUF,
        JSON,
        PLAIN
    }

    public StartResult {
        if (version < 2 || version > 3) {
            throw new IllegalArgumentException("shim API version " + version + " is not 2 or 3");
        }
        if (format == Format.PLAIN && version != 2) {
            throw new IllegalArgumentException("a plain address implies version 2");
        }
    }

    public static StartResult answering(Bootstrap bootstrap, SocketAddress address) {
        return bootstrap instanceof Bootstrap.Params
                ? new StartResult(address, BOOTSTRAP_VERSION, Format.PROTOBUF)
                : new StartResult(address, LEGACY_VERSION, Format.PLAIN);
    }

    public byte[] encode() {
        return switch (format) {
            case PROTOBUF ->
                BootstrapResult.newBuilder()
                        .setVersion(version)
                        .setAddress(address.uri())
                        .setProtocol("ttrpc")
                        .build()
                        .toByteArray();
            case JSON ->
                ("{\"version\":" + version + ",\"address\":\"" + address.uri().replace("\"", "\\\"")
                                + "\",\"protocol\":\"ttrpc\"}")
                        .getBytes(StandardCharsets.UTF_8);
            case PLAIN -> address.uri().getBytes(StandardCharsets.UTF_8);
        };
    }
}
