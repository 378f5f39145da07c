package io.jurunc.vaccel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VaccelConfigTest {
    @Test
    void readsEnvironmentWithDefaults() {
        VaccelConfig c = VaccelConfig.fromEnvironment(Map.of("VACCEL_PLUGINS", "/usr/lib/libvaccel-noop.so:exec"));
        assertThat(c.plugins()).containsExactly("/usr/lib/libvaccel-noop.so", "exec");
        assertThat(c.logLevel()).isEqualTo(LogLevel.ERROR);
        assertThat(c.profilingEnabled()).isFalse();
        assertThat(c.logFile()).isNull();
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void deprecatedAliasesWorkAndWarn() {
        VaccelConfig c = VaccelConfig.fromEnvironment(Map.of(
                "VACCEL_BACKENDS",
                "noop",
                "VACCEL_DEBUG_LEVEL",
                "4",
                "VACCEL_IGNORE_VERSION",
                "1",
                "VACCEL_PROFILING_ENABLED",
                "7"));
        assertThat(c.plugins()).containsExactly("noop");
        assertThat(c.logLevel()).isEqualTo(LogLevel.DEBUG);
        assertThat(c.versionIgnore()).isTrue();
        assertThat(c.profilingEnabled()).isTrue();
        assertThat(c.warnings()).hasSize(3).anyMatch(w -> w.contains("VACCEL_BACKENDS is deprecated"));
    }

    @Test
    void newNameWinsOverAlias() {
        VaccelConfig c = VaccelConfig.fromEnvironment(Map.of("VACCEL_PLUGINS", "exec", "VACCEL_BACKENDS", "noop"));
        assertThat(c.plugins()).containsExactly("exec");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void badValuesAreTypedErrors() {
        assertThatThrownBy(() -> VaccelConfig.fromEnvironment(Map.of("VACCEL_LOG_LEVEL", "9")))
                .isInstanceOf(VaccelException.InvalidArgumentException.class)
                .hasMessageContaining("log level");
        assertThatThrownBy(() -> VaccelConfig.fromEnvironment(Map.of("VACCEL_PROFILING_ENABLED", "yes")))
                .isInstanceOf(VaccelException.class)
                .hasMessageContaining("VACCEL_PROFILING_ENABLED");
    }

    @Test
    void logFileGetsTheDateSuffixAndVaccelsLineFormat(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        VaccelConfig c = VaccelConfig.fromEnvironment(
                Map.of("VACCEL_LOG_FILE", tmp.resolve("vaccel").toString(), "VACCEL_LOG_LEVEL", "2"));
        try (VaccelLog log = VaccelLog.open(c)) {
            log.warn("careful");
            log.info("not shown at WARN");
        }
        java.nio.file.Path file = tmp.resolve("vaccel-" + java.time.LocalDate.now() + ".log");
        assertThat(java.nio.file.Files.readAllLines(file))
                .singleElement()
                .asString()
                .matches("\\d{4}\\.\\d{2}\\.\\d{2}-\\d{2}:\\d{2}:\\d{2}\\.\\d{2} - <warn> careful");
    }

    @Test
    void parsesAgentConfigString() {
        VaccelConfig c = VaccelConfig.parse(
                "plugins=noop:exec,log_level=3,profiling_enabled=true,version_ignore=0", VaccelConfig.of());
        assertThat(c.plugins()).containsExactly("noop", "exec");
        assertThat(c.logLevel()).isEqualTo(LogLevel.INFO);
        assertThat(c.profilingEnabled()).isTrue();
        assertThat(c.versionIgnore()).isFalse();
        assertThatThrownBy(() -> VaccelConfig.parse("colour=red", VaccelConfig.of()))
                .hasMessageContaining("unknown vaccel config key 'colour'");
    }
}
