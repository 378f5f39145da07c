package io.jurunc.libc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mount calls that fail before they change anything: without privileges EPERM, with them the errors below. */
class MountsTest {
    @TempDir
    Path dir;

    @Test
    void unmountingADirectoryThatIsNoMountPointFails() {
        assertThatThrownBy(() -> Mounts.umount2(dir.toString(), 0)).isInstanceOfSatisfying(ErrnoException.class, e -> {
            assertThat(e.errno()).isIn(Errno.EINVAL, Errno.EPERM);
            assertThat(e.getMessage()).startsWith("umount2(" + dir + ")");
        });
    }

    @Test
    void mountingAnUnknownFileSystemTypeFails() {
        assertThatThrownBy(() -> Mounts.mount("none", dir.toString(), "no-such-fs-type", 0, null))
                .isInstanceOfSatisfying(
                        ErrnoException.class, e -> assertThat(e.errno()).isIn(Errno.ENODEV, Errno.EPERM));
    }
}
