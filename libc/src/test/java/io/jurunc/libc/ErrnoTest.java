package io.jurunc.libc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrnoTest {
    @Test
    void messagesNameTheCallTheDetailAndTheErrno() {
        ErrnoException e = new ErrnoException("open", Errno.ENOENT, "/dev/net/tun");

        assertThat(e.getMessage()).isEqualTo("open(/dev/net/tun) failed: ENOENT (No such file or directory)");
        assertThat(e.call()).isEqualTo("open");
        assertThat(e.errno()).isEqualTo(2);
        assertThat(e.errnoName()).isEqualTo("ENOENT");
    }

    @Test
    void unlistedValuesAreShownByNumber() {
        assertThat(Errno.describe(999)).isEqualTo("errno 999");
        assertThat(Errno.name(999)).isEqualTo("errno 999");
        assertThat(new ErrnoException("close", 999).getMessage()).isEqualTo("close failed: errno 999");
    }

    @Test
    void everyConstantHasItsOwnName() throws Exception {
        for (var field : Errno.class.getFields()) {
            int value = field.getInt(null);
            assertThat(Errno.name(value)).as(field.getName()).isEqualTo(field.getName());
        }
    }
}
