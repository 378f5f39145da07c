package io.jurunc.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NetnsRefTest {
    @Test
    void pathsArePlainAbsoluteAndNormalised() {
        assertThat(NetnsRef.of("/var/run/netns/../netns/cni-1").path()).isEqualTo(Path.of("/var/run/netns/cni-1"));
        assertThat(NetnsRef.ofPid(42).path()).isEqualTo(Path.of("/proc/42/ns/net"));
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertThatThrownBy(() -> NetnsRef.of("netns/x")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> NetnsRef.of(" ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> NetnsRef.ofPid(0)).hasMessageContaining("positive");
    }
}
