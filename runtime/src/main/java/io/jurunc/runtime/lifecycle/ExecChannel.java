package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.vm.MonitorInvocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The channels {@code exec} reaches the guest's init through: {@link #PORTS} virtio-serial ports
 * named {@code io.jurunc.exec.N}, each backed by a QEMU socket chardev {@code <state>/qmp/execN}
 * (QEMU listens; {@code server=on,wait=off}; QEMU names it by where its root binds the directory, see
 * {@link QmpSocket#MONITOR_DIR}). The sockets live in the QMP directory (0700, owned by
 * the monitor's user, bound into its minimal root; see {@link QmpSocket}), so only root and the
 * monitor reach them: being able to connect is the authentication. Added at start to a QEMU argv
 * that has a virtio-serial device (a Linux guest's, {@code LinuxGuest}); others get none, and exec
 * into them is refused. Each port runs one command at a time; {@code <state>/execN.lock} (root only)
 * is held by the relay that uses port N.
 */
public final class ExecChannel {
    /** The port name's prefix; port N is {@code io.jurunc.exec.N}. */
    public static final String PORT = "io.jurunc.exec";
    /** Ports per VM: as many execs can run at once. */
    public static final int PORTS = 4;

    private static final List<String> SERIAL_DEVICES = List.of("virtio-serial-device", "virtio-serial-pci");

    private ExecChannel() {}

    /** One port: the socket QEMU listens on and the lock its user holds. */
    public record Port(Path socket, Path lock) {}

    static Path socket(Path stateDir, int index) {
        return stateDir.resolve(QmpSocket.DIR).resolve("exec" + index);
    }

    static Path lock(Path stateDir, int index) {
        return stateDir.resolve("exec" + index + ".lock");
    }

    /** The ports of a container's VM, in order (empty: none was planned for it). */
    static List<Port> ports(Path stateDir, int count) {
        List<Port> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(new Port(socket(stateDir, i), lock(stateDir, i)));
        return out;
    }

    /** How many exec ports a monitor argv has (those {@link #attach} added). */
    static int planned(List<String> argv) {
        return (int) argv.stream()
                .filter(a -> a.startsWith("virtserialport,") && a.contains(",name=" + PORT + "."))
                .count();
    }

    /** The monitor's invocation with the exec ports where it can have them. */
    static MonitorInvocation attach(QmpSocket.Attached qmp) {
        MonitorInvocation inv = qmp.invocation();
        Optional<Path> seen = qmp.monitorDir();
        if (seen.isEmpty() || inv.argv().stream().noneMatch(a -> SERIAL_DEVICES.contains(a.split(",")[0]))) {
            return inv;
        }
        List<String> argv = new ArrayList<>(inv.argv());
        for (int i = 0; i < PORTS; i++) {
            // the path QEMU binds in its root (the host path, or a short one when that is too long)
            String socket = seen.get().resolve("exec" + i).toString();
            if (socket.length() > QmpSocket.SUN_PATH_MAX || socket.contains(",")) return inv;
            argv.addAll(List.of(
                    "-chardev",
                    "socket,id=jexec" + i + ",path=" + socket + ",server=on,wait=off",
                    "-device",
                    "virtserialport,chardev=jexec" + i + ",name=" + PORT + "." + i));
        }
        return new MonitorInvocation(argv, inv.files());
    }
}
