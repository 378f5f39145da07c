package io.jurunc.shim.start;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SocketAddressTest {
    @Test
    void derivesContainerdsAddress() {
        // echo -n /run/containerd/containerd.sock/k8s.io/sandbox1 | sha256sum
        SocketAddress a = SocketAddress.derive(
                SocketAddress.DEFAULT_ROOT, "/run/containerd/containerd.sock", "k8s.io", "sandbox1");
        assertThat(a.uri())
                .isEqualTo("unix:///run/containerd/s/203e2a8bcc43faffc0cfc248beea84ee3e46e9902d1260ec12c34ce928a2ad92");
    }

    @Test
    void rejectsPathsOverTheSocketLimit() {
        Path deep = Path.of("/tmp/" + "d".repeat(60));
        assertThatThrownBy(() -> SocketAddress.derive(deep, "/a", "n", "g"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("106");
    }

    @Test
    void groupsBySandboxAnnotationsInOrder() {
        assertThat(GroupingId.of("c1", Map.of(), GroupingId.Scope.POD)).isEqualTo("c1");
        assertThat(GroupingId.of("c1", Map.of("io.kubernetes.cri.sandbox-id", "sb"), GroupingId.Scope.POD))
                .isEqualTo("sb");
        assertThat(GroupingId.of(
                        "c1",
                        Map.of("io.kubernetes.cri.sandbox-id", "sb", "io.containerd.runc.v2.group", "grp"),
                        GroupingId.Scope.POD))
                .isEqualTo("grp");
        assertThat(GroupingId.of("c1", Map.of("io.kubernetes.cri.sandbox-id", "sb"), GroupingId.Scope.NODE))
                .isEqualTo(GroupingId.NODE_GROUP);
    }

    @Test
    void theScopeIsNodeUnlessPodIsAsked() {
        assertThat(GroupingId.Scope.fromEnv(Map.of())).isEqualTo(GroupingId.Scope.NODE);
        assertThat(GroupingId.Scope.fromEnv(Map.of(GroupingId.SCOPE_ENV, ""))).isEqualTo(GroupingId.Scope.NODE);
        assertThat(GroupingId.Scope.fromEnv(Map.of(GroupingId.SCOPE_ENV, "pod")))
                .isEqualTo(GroupingId.Scope.POD);
        assertThatThrownBy(() -> GroupingId.Scope.fromEnv(Map.of(GroupingId.SCOPE_ENV, "Pod")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node or pod");
    }
}
