package io.jurunc.runtime.vm.monitor;

import io.jurunc.runtime.vm.guest.LinuxGuest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * For tests that run a planned QEMU argv by themselves: the exit port's chardev is QEMU's end of a
 * socket pair that only the sandbox init passes (fd {@value LinuxGuest#EXIT_PORT_FD}); here it becomes
 * a file, so QEMU starts without that descriptor and the byte the guest writes can be read back.
 */
final class ExitPortFile {

    private static final String SOCKET_CHARDEV = "socket,id=jexit,fd=" + LinuxGuest.EXIT_PORT_FD;

    private ExitPortFile() {}

    /** {@code argv} with the exit port's chardev writing to {@code file}; unchanged without the port. */
    static List<String> redirect(List<String> argv, Path file) {
        List<String> out = new ArrayList<>(argv.size());
        for (String a : argv) {
            out.add(a.equals(SOCKET_CHARDEV) ? "file,id=jexit,path=" + file : a);
        }
        return out;
    }
}
