package io.jurunc.runtime.wiring;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.runtime.ports.SandboxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TapSandboxNetworkTest {
    @TempDir
    Path dir;

    @Test
    void neverTouchesTheRuntimesOwnNetworkNamespace() {
        assertThatThrownBy(() -> new TapSandboxNetwork()
                        .setup(
                                Path.of("/proc/self/ns/net"),
                                "c1",
                                new io.jurunc.runtime.sandbox.MonitorUser(1000, 1000, java.util.List.of())))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("host's network namespace");
    }

    @Test
    void aMissingNamespaceIsAClearError() {
        assertThatThrownBy(() -> TapSandboxNetwork.refuseHostNamespace(dir.resolve("gone")))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("cannot be inspected");
    }

    @Test
    void otherNamespacesPass() throws Exception {
        Path other = Files.createFile(dir.resolve("stand-in"));
        assertThatCode(() -> TapSandboxNetwork.refuseHostNamespace(other)).doesNotThrowAnyException();
    }
}
