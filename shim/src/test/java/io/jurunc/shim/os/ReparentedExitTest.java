package io.jurunc.shim.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A monitor in its own pid namespace is not the shim's child: the sandbox helper forks it and exits,
 * and the kernel re-parents it to the nearest subreaper, the shim daemon (issue 11). The real
 * {@link LinuxShimOs} makes this JVM a subreaper and then reaps such a grandchild by pid, with its own
 * exit status or signal, leaving no zombie. (The test JVM stays a subreaper; it is a forked surefire JVM.)
 */
class ReparentedExitTest {
    private static final LinuxShimOs OS = new LinuxShimOs();

    @BeforeAll
    static void subreaper() throws OsException {
        OS.becomeSubreaper();
    }

    /** Starts {@code body} in the background of a shell that prints its pid and exits at once. */
    private static int orphan(String body) throws Exception {
        Process sh = new ProcessBuilder(List.of("sh", "-c", "(" + body + ") >/dev/null 2>&1 </dev/null & echo $!"))
                .redirectErrorStream(true)
                .start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(sh.waitFor()).as(out).isZero();
        return Integer.parseInt(out);
    }

    private static long parentOf(int pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    @Test
    void aGrandchildWhoseParentExitedIsReparentedHereAndReapedWithItsStatus() throws Exception {
        int pid = orphan("sleep 0.5; exit 7");
        assertThat(parentOf(pid))
                .as("re-parented to the subreaper")
                .isEqualTo(ProcessHandle.current().pid());
        ExitStatus status = OS.awaitExit(pid);
        assertThat(status.status()).isEqualTo(7);
        assertThat(Path.of("/proc", Integer.toString(pid)))
                .as("reaped: no zombie left")
                .doesNotExist();
    }

    @Test
    void aReparentedGrandchildKilledBySigkillReports137() throws Exception {
        int pid = orphan("exec sleep 60");
        assertThat(parentOf(pid)).isEqualTo(ProcessHandle.current().pid());
        assertThat(OS.signal(pid, 9)).isTrue();
        assertThat(OS.awaitExit(pid).status()).isEqualTo(128 + 9);
        assertThat(Path.of("/proc", Integer.toString(pid))).doesNotExist();
    }
}
