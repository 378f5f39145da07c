package io.jurunc.builder.urunc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.builder.BuildFileException;
import io.jurunc.builder.Location;
import io.jurunc.urunc.UruncKeys;
import io.jurunc.urunc.UruncValue;
import io.jurunc.urunc.UruncVocabulary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UruncMetadataTest {
    private static final Location AT = new Location(Path.of("Containerfile"), 1);
    private static final Location TYPE_LINE = new Location(Path.of("Containerfile"), 2);
    private static final Location MONITOR_LINE = new Location(Path.of("Containerfile"), 3);
    private static final UruncVocabulary NAMES = UruncVocabulary.installed();

    @Test
    void missingTypeOrMonitorHintsNameEveryGuestAndMonitor() {
        assertThatThrownBy(() -> UruncMetadata.from(Map.of(UruncKeys.HYPERVISOR, "qemu"), k -> AT, AT))
                .isInstanceOf(BuildFileException.class)
                .satisfies(
                        e -> assertThat(e.getMessage()).contains(NAMES.guests().toArray(String[]::new)));
        assertThatThrownBy(() -> UruncMetadata.from(Map.of(UruncKeys.TYPE, "linux"), k -> AT, AT))
                .isInstanceOf(BuildFileException.class)
                .satisfies(e ->
                        assertThat(e.getMessage()).contains(NAMES.monitors().toArray(String[]::new)));
    }

    @Test
    void theNamesAreTheRuntimeRegistrys_inItsOrder() {
        assertThat(NAMES.guests()).startsWith("linux", "unikraft").contains("hermit");
        assertThat(NAMES.monitors()).startsWith("qemu", "firecracker").contains("hvt", "spt", "cloud-hypervisor");
    }

    @Test
    void aNameTheRuntimeDoesNotRun_isRefusedAtItsLine_withTheNamesItRuns() {
        assertThatThrownBy(() -> from("osv", "qemu"))
                .isInstanceOfSatisfying(
                        BuildFileException.class, e -> assertThat(e.location()).isEqualTo(TYPE_LINE))
                .hasMessageContaining(UruncKeys.TYPE + " \"osv\" is not one jurunc runs")
                .hasMessageContaining(String.join(", ", NAMES.guests()));
        assertThatThrownBy(() -> from("linux", "qemuu"))
                .isInstanceOfSatisfying(
                        BuildFileException.class, e -> assertThat(e.location()).isEqualTo(MONITOR_LINE))
                .hasMessageContaining(UruncKeys.HYPERVISOR + " \"qemuu\" is not one jurunc runs")
                .hasMessageContaining(String.join(", ", NAMES.monitors()));
    }

    @Test
    void namesAreReadAsTheRuntimeReadsThem_monitorAliasesAndAnyCase_andKeptAsWritten() {
        assertThat(from("linux", "QEMU").get(UruncKeys.HYPERVISOR)).contains("QEMU");
        assertThat(from("linux", "solo5-hvt").get(UruncKeys.HYPERVISOR)).contains("solo5-hvt");
    }

    private static UruncMetadata from(String type, String monitor) {
        return UruncMetadata.from(
                        Map.of(UruncKeys.TYPE, type, UruncKeys.HYPERVISOR, monitor),
                        k -> k.equals(UruncKeys.TYPE) ? TYPE_LINE : k.equals(UruncKeys.HYPERVISOR) ? MONITOR_LINE : AT,
                        AT)
                .orElseThrow();
    }

    @Test
    void uruncJsonValuesAreWhatTheRuntimeDecodes() throws Exception {
        UruncMetadata md = UruncMetadata.from(
                        Map.of(UruncKeys.TYPE, "hermit", UruncKeys.HYPERVISOR, "qemu", UruncKeys.BINARY, "/k"),
                        k -> AT,
                        AT)
                .orElseThrow();
        String json = new String(md.uruncJson(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"" + UruncValue.encode("hermit") + "\"");
        assertThat(UruncValue.decode(UruncKeys.TYPE, UruncValue.encode("hermit")))
                .isEqualTo("hermit");
    }
}
