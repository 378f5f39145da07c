package io.jurunc.shim.start;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmDaemonLauncherTest {
    @Test
    void theDaemonGetsItsMemorySettingsBeforeTheLaunchersOptions() {
        List<String> cmd = new JvmDaemonLauncher(List.of("/usr/bin/java", "-Xmx1g", "-cp", "x", "Main")).command();
        assertThat(cmd).containsExactly("/usr/bin/java", "-Xmx1g", "-cp", "x", "Main");
        List<String> fromHere = JvmDaemonLauncher.fromCurrentProcess(List.of("-namespace", "n", "start"))
                .command();
        assertThat(fromHere.subList(1, 2 + JvmDaemonLauncher.DAEMON_FLAGS.size()))
                .containsExactlyElementsOf(java.util.stream.Stream.concat(
                                java.util.stream.Stream.of(JvmDaemonLauncher.NAME_PROPERTY),
                                JvmDaemonLauncher.DAEMON_FLAGS.stream())
                        .toList());
        assertThat(fromHere)
                .containsOnlyOnce(JvmDaemonLauncher.DAEMON_FLAGS.toArray(String[]::new))
                .contains("io.jurunc.shim.ShimMain");
    }
}
