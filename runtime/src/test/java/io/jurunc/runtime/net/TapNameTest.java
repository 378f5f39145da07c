package io.jurunc.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TapNameTest {
    @Test
    void namesAreDeterministicDistinctAndFitIfnamsiz() {
        String a = TapName.forContainer("container-a");

        assertThat(a)
                .isEqualTo(TapName.forContainer("container-a"))
                .isNotEqualTo(TapName.forContainer("container-b"))
                .startsWith("jrtap")
                .hasSize(15);
        assertThat(TapName.isJuruncTap(a)).isTrue();
    }

    @Test
    void otherLinksAreNotJuruncTaps() {
        assertThat(TapName.isJuruncTap("tap0_urunc")).isFalse();
        assertThat(TapName.isJuruncTap("eth0")).isFalse();
        assertThat(TapName.isJuruncTap("jrtap0123456789X")).isFalse();
        assertThat(TapName.isJuruncTap("jrtapABCDEF0123")).isFalse();
        assertThat(TapName.isJuruncTap("jrtapzzzzzzzzzz")).isFalse();
    }

    @Test
    void theAliasNamesTheContainerAndIsCappedAt255Bytes() {
        assertThat(TapName.aliasFor("abc")).isEqualTo("jurunc container abc");
        assertThat(TapName.aliasFor("x".repeat(400))).hasSize(255);
    }
}
