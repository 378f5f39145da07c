package io.jurunc.urunc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UruncVocabularyTest {
    private static final UruncVocabulary ONE = new UruncVocabulary() {
        @Override
        public List<String> guests() {
            return List.of("linux");
        }

        @Override
        public List<String> monitors() {
            return List.of("qemu");
        }

        @Override
        public boolean isGuest(String value) {
            return value.equals("linux");
        }

        @Override
        public boolean isMonitor(String value) {
            return value.equals("qemu");
        }
    };

    @Test
    void installed_withoutTheRuntimeOnTheClassPath_saysWhatIsMissing() {
        // this module's tests see no runtime, so no provider
        assertThatThrownBy(UruncVocabulary::installed)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("no io.jurunc.urunc.UruncVocabulary on the class path")
                .hasMessageContaining("jurunc-runtime");
    }

    @Test
    void only_takesTheSingleProvider_andRefusesTwo() {
        assertThat(UruncVocabulary.only(List.of(ONE))).isSameAs(ONE);
        assertThatThrownBy(() -> UruncVocabulary.only(List.of(ONE, ONE)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("2 providers of io.jurunc.urunc.UruncVocabulary");
    }
}
