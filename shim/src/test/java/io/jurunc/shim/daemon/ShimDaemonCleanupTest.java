package io.jurunc.shim.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A clean stop of a node daemon leaves nothing next to its socket, however often it is asked to clean up. */
class ShimDaemonCleanupTest {
    @TempDir
    Path tmp;

    @Test
    void socketLogHolderDirectoryAndLockGoOnceAndStayGone() throws Exception {
        Path socket = tmp.resolve("abc");
        Files.writeString(socket, "");
        Files.writeString(tmp.resolve("abc.log"), "log");
        Path holder = Files.createDirectories(tmp.resolve("abc.d/journal"));
        Files.writeString(holder.resolve("t1"), "task");
        Files.writeString(tmp.resolve("abc.d/s"), "");
        ShimDaemonAccess.removeSocketAndLock(socket);
        assertThat(tmp).isEmptyDirectory();
        // the SIGTERM hook and the main thread both clean up: the second pass must not make the lock again
        ShimDaemonAccess.removeSocketAndLock(socket);
        assertThat(tmp).isEmptyDirectory();
    }
}
