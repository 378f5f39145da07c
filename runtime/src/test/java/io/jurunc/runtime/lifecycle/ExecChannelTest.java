package io.jurunc.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.runtime.vm.MonitorInvocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExecChannelTest {
    private static final Path STATE = Path.of("/run/jurunc/c1");

    @Test
    void aQemuArgvWithAVirtioSerialDeviceGetsTheExecPortsBackedBySocketsInTheQmpDirectory() {
        MonitorInvocation inv = new MonitorInvocation(
                List.of("/usr/bin/qemu", "-device", "virtio-serial-device", "-append", "x"), List.of());
        List<String> argv = ExecChannel.attach(new QmpSocket.Attached(inv, Optional.of(STATE.resolve("qmp"))))
                .argv();
        assertThat(argv.subList(0, 5)).isEqualTo(inv.argv());
        assertThat(argv.subList(5, 9))
                .containsExactly(
                        "-chardev",
                        "socket,id=jexec0,path=/run/jurunc/c1/qmp/exec0,server=on,wait=off",
                        "-device",
                        "virtserialport,chardev=jexec0,name=io.jurunc.exec.0");
        assertThat(argv).hasSize(5 + 4 * ExecChannel.PORTS);
        assertThat(argv.getLast()).isEqualTo("virtserialport,chardev=jexec3,name=io.jurunc.exec.3");
        assertThat(ExecChannel.planned(argv)).isEqualTo(ExecChannel.PORTS);
        assertThat(ExecChannel.planned(inv.argv())).isZero();
        assertThat(ExecChannel.ports(STATE, 2))
                .containsExactly(
                        new ExecChannel.Port(STATE.resolve("qmp/exec0"), STATE.resolve("exec0.lock")),
                        new ExecChannel.Port(STATE.resolve("qmp/exec1"), STATE.resolve("exec1.lock")));
    }

    @Test
    void noVirtioSerialDeviceOrNoQmpDirectoryMeansNoExecPorts() {
        MonitorInvocation firecracker = new MonitorInvocation(List.of("/usr/bin/firecracker"), List.of());
        assertThat(ExecChannel.attach(new QmpSocket.Attached(firecracker, Optional.of(STATE.resolve("qmp")))))
                .isEqualTo(firecracker);
        MonitorInvocation pci = new MonitorInvocation(List.of("/q", "-device", "virtio-serial-pci"), List.of());
        assertThat(ExecChannel.attach(new QmpSocket.Attached(pci, Optional.empty())))
                .isEqualTo(pci);
    }

    @Test
    void aStatePathTooLongForASocketGetsNoPorts() {
        Path deep = Path.of("/" + "d".repeat(100));
        MonitorInvocation inv = new MonitorInvocation(List.of("/q", "-device", "virtio-serial-pci"), List.of());
        assertThat(ExecChannel.attach(new QmpSocket.Attached(inv, Optional.of(deep.resolve("qmp")))))
                .isEqualTo(inv);
    }

    @Test
    void aLongStatePathSeenAtAShortPathByTheMonitorGetsPortsThere() {
        Path deep = Path.of("/" + "d".repeat(100));
        MonitorInvocation inv = new MonitorInvocation(List.of("/q", "-device", "virtio-serial-pci"), List.of());
        List<String> argv = ExecChannel.attach(new QmpSocket.Attached(
                        inv, Optional.of(deep.resolve("qmp")), Optional.of(QmpSocket.MONITOR_DIR)))
                .argv();
        assertThat(argv)
                .contains("socket,id=jexec0,path=/jurunc/shares/qmp/exec0,server=on,wait=off")
                .contains("virtserialport,chardev=jexec3,name=io.jurunc.exec.3");
        assertThat(ExecChannel.planned(argv)).isEqualTo(ExecChannel.PORTS);
    }
}
