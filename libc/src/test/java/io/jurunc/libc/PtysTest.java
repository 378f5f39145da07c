package io.jurunc.libc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PtysTest {
    @Test
    void aNewPtyHasASlaveUnderDevPts() throws Exception {
        int master = Ptys.posixOpenpt(Fds.O_RDWR | Fds.O_NOCTTY | Fds.O_CLOEXEC);
        try {
            Ptys.grantpt(master);
            Ptys.unlockpt(master);
            String slave = Ptys.ptsname(master);
            assertThat(slave).startsWith("/dev/pts/");
            assertThat(Files.exists(Path.of(slave))).isTrue();
        } finally {
            Fds.close(master);
        }
    }

    @Test
    void aPipeIsNoPty() throws Exception {
        Fds.Pipe pipe = Fds.pipe(Fds.O_CLOEXEC);
        try {
            assertThatThrownBy(() -> Ptys.ptsname(pipe.readFd()))
                    .isInstanceOfSatisfying(
                            ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTTY));
            assertThatThrownBy(() -> Ptys.unlockpt(pipe.readFd()))
                    .isInstanceOfSatisfying(
                            ErrnoException.class, e -> assertThat(e.errno()).isIn(Errno.ENOTTY, Errno.EINVAL));
        } finally {
            Fds.close(pipe.readFd());
            Fds.close(pipe.writeFd());
        }
    }
}
