package io.jurunc.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.runtime.ports.SandboxException;
import io.jurunc.runtime.sandbox.LaunchFile;
import io.jurunc.runtime.sandbox.MonitorUser;
import io.jurunc.runtime.state.SandboxRecord;
import io.jurunc.runtime.vm.MonitorInvocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QmpSocketTest {
    @TempDir
    Path tmp;

    private final SandboxRecord sb = new SandboxRecord(100_007, 100_008, List.of(), false, List.of());
    private final Fakes.RecordingHost host = new Fakes.RecordingHost();

    @Test
    void qemuGetsAQmpSocketInAPrivateDirectoryBoundIntoItsRoot() throws Exception {
        var inv = new MonitorInvocation(
                List.of("/usr/bin/qemu-system-x86_64", "-m", "256M", "-monitor", "none", "-kernel", "/k"), List.of());
        var attached = QmpSocket.attach(host, inv, tmp, sb);
        Path sock = tmp.resolve("qmp/sock");
        assertThat(attached.invocation().argv())
                .containsExactly(
                        "/usr/bin/qemu-system-x86_64",
                        "-m",
                        "256M",
                        "-monitor",
                        "none",
                        "-qmp",
                        "unix:" + sock + ",server=on,wait=off",
                        "-kernel",
                        "/k");
        assertThat(attached.dir()).contains(tmp.resolve("qmp"));
        assertThat(host.privateDirs)
                .as("the monitor's user owns it, nobody else may use it")
                .containsExactly(tmp.resolve("qmp") + " 100007:100008");
        assertThat(host.deleted).as("an earlier start's socket goes").containsExactly(sock);
        var launch = new LaunchFile(
                tmp.resolve("root"),
                List.of(),
                List.of(),
                new MonitorUser(1, 1, List.of()),
                List.of(),
                attached.invocation().argv());
        assertThat(attached.bind(launch).mounts())
                .containsExactly(new LaunchFile.Mount(LaunchFile.Kind.RW, tmp.resolve("qmp")));
    }

    @Test
    void otherMonitorsGetNone() throws Exception {
        var fc = new MonitorInvocation(List.of("/usr/bin/firecracker", "--config-file", "/c.json"), List.of());
        assertThat(QmpSocket.attach(host, fc, tmp, sb).dir()).isEmpty();
        assertThat(QmpSocket.attach(host, fc, tmp, sb).invocation()).isEqualTo(fc);
    }

    @Test
    void aStatePathTooLongForASocketGetsNoQmpButItsDirectoryAtAShortPathInTheMonitorsRoot() throws Exception {
        Path deep = Files.createDirectory(tmp.resolve("x".repeat(100)));
        var qemu = new MonitorInvocation(List.of("/usr/bin/qemu", "-monitor", "none"), List.of());
        var attached = QmpSocket.attach(host, qemu, deep, sb);
        assertThat(attached.invocation())
                .as("root could not reach a QMP socket there")
                .isEqualTo(qemu);
        assertThat(attached.dir()).contains(deep.resolve("qmp"));
        assertThat(attached.monitorDir()).contains(QmpSocket.MONITOR_DIR);
        assertThat(Files.isDirectory(deep.resolve("qmp"))).isTrue();
        var launch = new LaunchFile(
                tmp.resolve("root"), List.of(), List.of(), new MonitorUser(1, 1, List.of()), List.of(), qemu.argv());
        assertThat(attached.bind(launch).mounts())
                .containsExactly(
                        new LaunchFile.Mount(LaunchFile.Kind.SHARE_RW, deep.resolve("qmp"), QmpSocket.MONITOR_DIR));
    }

    @Test
    void aQmpDirectoryThatCannotBeMadeFailsWithItsPath() throws Exception {
        Files.writeString(tmp.resolve("qmp"), "a file in the way");
        var qemu = new MonitorInvocation(List.of("/usr/bin/qemu", "-monitor", "none"), List.of());
        assertThatThrownBy(() -> QmpSocket.attach(host, qemu, tmp, sb))
                .isInstanceOf(SandboxException.class)
                .hasMessageStartingWith("cannot prepare the QMP directory " + tmp.resolve("qmp"));
    }
}
