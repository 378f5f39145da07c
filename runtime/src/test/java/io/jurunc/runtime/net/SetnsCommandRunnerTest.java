package io.jurunc.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.runtime.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real runner, as root, in test-owned namespaces. */
class SetnsCommandRunnerTest {
    private final SetnsCommandRunner runner = new SetnsCommandRunner(Syscalls.linux());

    @BeforeEach
    void root() {
        TestNamespaces.assumeRoot();
    }

    @Test
    void theCommandRunsInsideTheNamespaceAndGetsItsStdin() throws Exception {
        try (TestNamespaces namespaces = new TestNamespaces()) {
            String ns = namespaces.add("jrrun-" + ProcessHandle.current().pid());
            TestNamespaces.ip(ns, "link", "add", "marker0", "type", "veth", "peer", "name", "marker1");
            NetnsRef ref = NetnsRef.of("/var/run/netns/" + ns);

            String out = runner.run(ref, List.of("ip", "-o", "-batch", "-"), "link show\n");

            assertThat(out).contains("marker0").doesNotContain("eth0");
            // the namespace file's inode is what /proc/self/ns/net of the child shows
            String inode = Files.getAttribute(ref.path(), "unix:ino").toString();
            assertThat(runner.run(ref, List.of("readlink", "/proc/self/ns/net"), null)
                            .strip())
                    .isEqualTo("net:[" + inode + "]");
        }
    }

    @Test
    void aFailingCommandIsReportedWithItsStderr() {
        NetnsRef own = NetnsRef.of("/proc/self/ns/net");

        assertThatThrownBy(() -> runner.run(own, List.of("ip", "link", "show", "dev", "nosuchdev0"), null))
                .isInstanceOfSatisfying(NetOperationException.class, e -> {
                    assertThat(e.netnsGone()).isFalse();
                    assertThat(e.getMessage()).contains("ip link show dev nosuchdev0", "exited with", "does not exist");
                });
    }

    @Test
    void unknownToolsAndMissingNamespacesAreTyped() {
        assertThatThrownBy(() -> runner.run(NetnsRef.of("/proc/self/ns/net"), List.of("no-such-tool-jr"), null))
                .hasMessageContaining("no-such-tool-jr not found");
        assertThatThrownBy(() -> runner.run(NetnsRef.of("/var/run/netns/jr-missing-ns"), List.of("ip", "link"), null))
                .isInstanceOfSatisfying(
                        NetOperationException.class,
                        e -> assertThat(e.netnsGone()).isTrue());
        assertThat(Path.of("/var/run/netns/jr-missing-ns")).doesNotExist();
    }
}
