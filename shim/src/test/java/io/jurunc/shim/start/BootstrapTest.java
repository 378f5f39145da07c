package io.jurunc.shim.start;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.jurunc.shim.proto.bootstrap.BootstrapParams;
import io.jurunc.shim.proto.bootstrap.BootstrapResult;
import io.jurunc.shim.proto.bootstrap.LogLevel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BootstrapTest {
    private static final SocketAddress ADDR = new SocketAddress(Path.of("/run/containerd/s/abc"));

    @Test
    void matchingParamsAreBootstrap() {
        byte[] in = BootstrapParams.newBuilder()
                .setInstanceId("c1")
                .setNamespace("default")
                .setLogLevel(LogLevel.LOG_LEVEL_DEBUG)
                .setContainerdTtrpcAddress("/run/c.sock.ttrpc")
                .setSocketDir("/tmp/s")
                .build()
                .toByteArray();
        Bootstrap b = Bootstrap.decode(in, "c1", "default");
        assertThat(b).isInstanceOf(Bootstrap.Params.class);
        assertThat(((Bootstrap.Params) b).params().getLogLevel()).isEqualTo(LogLevel.LOG_LEVEL_DEBUG);
        assertThat(b.socketRoot()).isEqualTo(Path.of("/tmp/s"));
    }

    @Test
    void paramsForAnotherInstanceFallBackToLegacy() {
        byte[] in = BootstrapParams.newBuilder()
                .setInstanceId("other")
                .setNamespace("default")
                .build()
                .toByteArray();
        assertThat(Bootstrap.decode(in, "c1", "default")).isInstanceOf(Bootstrap.Legacy.class);
    }

    @Test
    void legacyRuntimeOptionsAnyIsKept() {
        Any options = Any.newBuilder()
                .setTypeUrl("containerd.runc.v1.Options")
                .setValue(ByteString.copyFromUtf8("\u0012\u0004runc"))
                .build();
        Bootstrap b = Bootstrap.decode(options.toByteArray(), "c1", "default");
        assertThat(b).isEqualTo(new Bootstrap.Legacy(java.util.Optional.of(options)));
        assertThat(b.socketRoot()).isEqualTo(SocketAddress.DEFAULT_ROOT);
    }

    @Test
    void emptyOrGarbageIsLegacyWithoutOptions() {
        assertThat(Bootstrap.decode(new byte[0], "c1", "n"))
                .isEqualTo(new Bootstrap.Legacy(java.util.Optional.empty()));
        assertThat(Bootstrap.decode(new byte[] {(byte) 0xff, (byte) 0xff, 1}, "c1", "n"))
                .isEqualTo(new Bootstrap.Legacy(java.util.Optional.empty()));
    }

    @Test
    void bootstrapIsAnsweredWithProtobufVersion3() throws Exception {
        byte[] in = BootstrapParams.newBuilder()
                .setInstanceId("c1")
                .setNamespace("n")
                .build()
                .toByteArray();
        byte[] out =
                StartResult.answering(Bootstrap.decode(in, "c1", "n"), ADDR).encode();
        BootstrapResult r = BootstrapResult.parseFrom(out);
        assertThat(r.getVersion()).isEqualTo(3);
        assertThat(r.getAddress()).isEqualTo("unix:///run/containerd/s/abc");
        assertThat(r.getProtocol()).isEqualTo("ttrpc");
    }

    @Test
    void legacyIsAnsweredWithAPlainAddress() {
        byte[] out = StartResult.answering(Bootstrap.decode(new byte[0], "c1", "n"), ADDR)
                .encode();
        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("unix:///run/containerd/s/abc");
    }

    @Test
    void jsonFormatIsWhatContainerd17Parses() throws Exception {
        String json = new String(new StartResult(ADDR, 3, StartResult.Format.JSON).encode(), StandardCharsets.UTF_8);
        var node = io.jurunc.oci.Json.mapper().readTree(json);
        assertThat(node.get("version").asInt()).isEqualTo(3);
        assertThat(node.get("address").asText()).isEqualTo(ADDR.uri());
        assertThat(node.get("protocol").asText()).isEqualTo("ttrpc");
    }
}
