package io.jurunc.runtime.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.urunc.UruncVocabulary;
import org.junit.jupiter.api.Test;

/** The builder's guest and monitor names are the runtime's registry, found through the class path. */
class RegistryVocabularyTest {
    private final UruncVocabulary vocabulary = UruncVocabulary.installed();

    @Test
    void theInstalledVocabularyIsTheRegistrys_inItsOrder() {
        assertThat(vocabulary).isInstanceOf(RegistryVocabulary.class);
        assertThat(vocabulary.guests())
                .containsExactlyElementsOf(
                        GuestType.all().stream().map(GuestType::key).toList());
        assertThat(vocabulary.monitors())
                .containsExactlyElementsOf(
                        MonitorType.all().stream().map(MonitorType::key).toList());
    }

    @Test
    void acceptsWhatTheMetadataReaderAccepts_keysAliasesAnyCase() {
        assertThat(vocabulary.guests()).allMatch(vocabulary::isGuest);
        assertThat(vocabulary.monitors()).allMatch(vocabulary::isMonitor);
        assertThat(MonitorType.all().stream().flatMap(m -> m.aliases().stream()))
                .isNotEmpty()
                .allMatch(vocabulary::isMonitor);
        assertThat(vocabulary.isGuest(" Linux ")).isTrue();
        assertThat(vocabulary.isMonitor("QEMU")).isTrue();
        assertThat(vocabulary.isMonitor("solo5-hvt")).isTrue();
    }

    @Test
    void refusesNamesTheRegistryLacks() {
        assertThat(vocabulary.isGuest("osv")).isFalse();
        assertThat(vocabulary.isGuest("qemu")).isFalse();
        assertThat(vocabulary.isMonitor("qemuu")).isFalse();
        assertThat(vocabulary.isMonitor("linux")).isFalse();
        assertThat(vocabulary.isGuest("")).isFalse();
    }
}
