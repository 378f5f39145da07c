package io.jurunc.libc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Process calls against the real kernel; none of them changes this JVM. */
class ProcessesTest {
    private static int errnoOf(ThrowingCall call) {
        try {
            call.run();
        } catch (ErrnoException e) {
            return e.errno();
        } catch (Exception e) {
            throw new AssertionError("not an ErrnoException", e);
        }
        throw new AssertionError("the call succeeded");
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void killProbesALiveProcessAndAGoneOneIsEsrch() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            Processes.kill((int) child.pid(), 0);
            Processes.kill((int) child.pid(), Processes.SIGKILL);
            child.waitFor();
            assertThat(child.exitValue()).isEqualTo(128 + Processes.SIGKILL);
            assertThat(errnoOf(() -> Processes.kill((int) child.pid(), 0))).isEqualTo(Errno.ESRCH);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void waitingForAProcessThatIsNoChildIsEchild() {
        int init = 1;
        assertThat(errnoOf(() -> Processes.waitpid(init, 0))).isEqualTo(Errno.ECHILD);
        assertThat(errnoOf(() -> Processes.waitid(Processes.P_PID, init, Processes.WEXITED)))
                .isEqualTo(Errno.ECHILD);
    }

    @Test
    void waitStatusDecodesAsAShellDoes() {
        assertThat(new Processes.WaitStatus(7, 3 << 8).shellStatus()).isEqualTo(3);
        assertThat(new Processes.WaitStatus(7, Processes.SIGKILL).shellStatus()).isEqualTo(137);
    }

    @Test
    void anUnknownPrctlIsEinval() throws Exception {
        assertThat(errnoOf(() -> Processes.prctl(0x7fff_0000, 0))).isEqualTo(Errno.EINVAL);
        assertThat(Processes.prctl(3 /* PR_GET_DUMPABLE */, 0))
                .as("the result comes back")
                .isBetween(0, 2);
        assertThat(errnoOf(() -> Processes.prctl(37 /* PR_GET_CHILD_SUBREAPER */, 0)))
                .as("its result pointer is NULL")
                .isEqualTo(Errno.EFAULT);
    }

    @Test
    void execveOfAMissingFileFailsAndReturns() {
        assertThatThrownBy(() -> Processes.execve("/nonexistent/jurunc", List.of("jurunc"), List.of("A=1")))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.getMessage())
                            .isEqualTo("execve(/nonexistent/jurunc) failed: ENOENT (No such file or directory)");
                });
    }

    @Test
    void geteuidIsTheUidTheKernelReports() throws Exception {
        String uidLine = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:"))
                .findFirst()
                .orElseThrow();
        assertThat(Processes.geteuid()).isEqualTo(Integer.parseInt(uidLine.split("\\s+")[2]));
    }

    @Test
    void setnsOfABadDescriptorIsEbadf() {
        assertThat(errnoOf(() -> Processes.setns(-1, Processes.CLONE_NEWNET))).isEqualTo(Errno.EBADF);
    }
}
