package io.jurunc.shim.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountSpecTest {
    @Test
    void overlayOptionsBecomeData() {
        MountSpec m = MountSpec.parse(
                "overlay", "overlay", List.of("index=off", "workdir=/w", "upperdir=/u", "lowerdir=/l1:/l2"));
        assertThat(m.type()).isEqualTo("overlay");
        assertThat(m.flags()).isZero();
        assertThat(m.data()).isEqualTo("index=off,workdir=/w,upperdir=/u,lowerdir=/l1:/l2");
        assertThat(m.remountReadOnly()).isFalse();
    }

    @Test
    void readOnlyRbindNeedsARemount() {
        MountSpec m = MountSpec.parse("bind", "/snap/1/fs", List.of("rbind", "ro"));
        assertThat(m.flags() & MountSpec.MS_BIND).isNotZero();
        assertThat(m.flags() & MountSpec.MS_REC).isNotZero();
        assertThat(m.remountReadOnly()).isTrue();
        assertThat(m.type()).isEmpty();
        assertThat(m.data()).isEmpty();
    }

    @Test
    void clearingOptionsAreDropped() {
        assertThat(MountSpec.parse("tmpfs", "tmpfs", List.of("rw", "nosuid", "size=64m"))
                        .data())
                .isEqualTo("size=64m");
    }

    @Test
    void missingTypeIsRejected() {
        assertThatThrownBy(() -> MountSpec.parse("", "/x", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/x");
    }

    @Test
    void exitStatusOfSignalIs128PlusSignal() {
        assertThat(ExitStatus.fromSiginfo(2, 9, java.time.Instant.EPOCH).status())
                .isEqualTo(137);
        assertThat(ExitStatus.fromSiginfo(1, 3, java.time.Instant.EPOCH).status())
                .isEqualTo(3);
    }
}
