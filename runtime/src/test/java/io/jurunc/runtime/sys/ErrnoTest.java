package io.jurunc.runtime.sys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrnoTest {
    @Test
    void messagesNameTheCallTheDetailAndTheErrno() {
        ErrnoException e = new ErrnoException("open", Errno.ENOENT, "/dev/net/tun");

        assertThat(e.getMessage()).isEqualTo("open(/dev/net/tun) failed: ENOENT (No such file or directory)");
        assertThat(e.call()).isEqualTo("open");
        assertThat(e.errno()).isEqualTo(2);
        assertThat(Errno.describe(99)).isEqualTo("errno 99");
    }
}
