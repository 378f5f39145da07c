package io.jurunc.shim.cmdline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShimFlagsTest {
    @Test
    void parsesStartAsContainerdWritesIt() throws Exception {
        ShimFlags f = ShimFlags.parse(List.of(
                "-namespace",
                "k8s.io",
                "-address",
                "/run/containerd/containerd.sock",
                "-publish-binary",
                "/usr/bin/containerd",
                "-id",
                "abc",
                "-debug",
                "start"));
        assertThat(f.namespace()).isEqualTo("k8s.io");
        assertThat(f.address()).isEqualTo("/run/containerd/containerd.sock");
        assertThat(f.publishBinary()).isEqualTo("/usr/bin/containerd");
        assertThat(f.id()).isEqualTo("abc");
        assertThat(f.debug()).isTrue();
        assertThat(f.action()).contains("start");
        assertThat(f.bundle()).isEmpty();
    }

    @Test
    void acceptsDoubleDashAndEqualsForms() throws Exception {
        ShimFlags f = ShimFlags.parse(List.of("--namespace=default", "-id=x", "-bundle", "/b", "delete"));
        assertThat(f.namespace()).isEqualTo("default");
        assertThat(f.id()).isEqualTo("x");
        assertThat(f.bundle()).contains("/b");
        assertThat(f.action()).contains("delete");
    }

    @Test
    void versionAndInfoAreBooleans() throws Exception {
        assertThat(ShimFlags.parse(List.of("-v")).version()).isTrue();
        assertThat(ShimFlags.parse(List.of("--version")).version()).isTrue();
        assertThat(ShimFlags.parse(List.of("-info")).info()).isTrue();
        assertThat(ShimFlags.parse(List.of("-debug=false")).debug()).isFalse();
    }

    @Test
    void noActionMeansDaemon() throws Exception {
        ShimFlags f = ShimFlags.parse(List.of("-namespace", "n", "-id", "i", "-address", "a", "-socket", "/s"));
        assertThat(f.action()).isEmpty();
        assertThat(f.socket()).contains("/s");
    }

    @Test
    void rejectsUnknownFlagsMissingValuesAndActions() {
        assertThatThrownBy(() -> ShimFlags.parse(List.of("-bogus")))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("-bogus");
        assertThatThrownBy(() -> ShimFlags.parse(List.of("-id")))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("needs an argument");
        assertThatThrownBy(() -> ShimFlags.parse(List.of("-id", "x", "run")))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("run");
    }

    @Test
    void requireNamesTheMissingFlag() throws Exception {
        ShimFlags f = ShimFlags.parse(List.of("-id", "x", "start"));
        assertThatThrownBy(() -> f.require("id", "namespace"))
                .isInstanceOf(UsageException.class)
                .hasMessage("-namespace is required for start");
    }

    @Test
    void daemonArgsCarryTheSocket() throws Exception {
        ShimFlags f = ShimFlags.parse(
                List.of("-namespace", "n", "-address", "/a", "-publish-binary", "/c", "-id", "i", "-debug", "start"));
        assertThat(f.daemonArgs("/run/s/x", "i"))
                .containsExactly(
                        "-namespace",
                        "n",
                        "-id",
                        "i",
                        "-address",
                        "/a",
                        "-publish-binary",
                        "/c",
                        "-debug",
                        "-socket",
                        "/run/s/x");
    }
}
