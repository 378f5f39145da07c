package io.jurunc.ttrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TtrpcAddressTest {
    @Test
    void parsesTheSupportedForms() {
        assertThat(TtrpcAddress.parse("unix:///run/containerd/s/abc"))
                .isEqualTo(new TtrpcAddress.Unix(Path.of("/run/containerd/s/abc")));
        assertThat(TtrpcAddress.parse("/run/x.sock")).isEqualTo(new TtrpcAddress.Unix(Path.of("/run/x.sock")));
        assertThat(TtrpcAddress.parse("tcp://127.0.0.1:65500")).isEqualTo(new TtrpcAddress.Tcp("127.0.0.1", 65500));
        assertThat(TtrpcAddress.parse("tcp://[::1]:1")).isEqualTo(new TtrpcAddress.Tcp("::1", 1));
        assertThat(TtrpcAddress.parse("vsock://2:2048")).isEqualTo(new TtrpcAddress.Vsock(2, 2048));
        assertThat(TtrpcAddress.parse("tcp://[::1]:1").toString()).isEqualTo("tcp://[::1]:1");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "relative.sock",
                "http://x:1",
                "tcp://host",
                "tcp://host:port",
                "tcp://h:70000",
                "vsock://2",
                "unix://"
            })
    void rejectsMalformedAddressesNamingTheAcceptedForms(String address) {
        assertThatThrownBy(() -> TtrpcAddress.parse(address))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid ttrpc address")
                .hasMessageContaining("unix:///path/to.sock");
    }

    @Test
    void vsockNeedsACallerSuppliedTransport() {
        assertThatThrownBy(() -> TtrpcClient.connect("vsock://3:1024"))
                .isInstanceOf(UnsupportedTransportException.class)
                .hasMessageContaining("TtrpcClient.over");
    }
}
