package io.jurunc.builder.urunc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.builder.BuildFileException;
import io.jurunc.builder.Location;
import io.jurunc.urunc.UruncKeys;
import io.jurunc.urunc.UruncNames;
import io.jurunc.urunc.UruncValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UruncMetadataTest {
    private static final Location AT = new Location(Path.of("Containerfile"), 1);

    @Test
    void missingTypeOrMonitorHintsNameEveryGuestAndMonitor() {
        assertThatThrownBy(() -> UruncMetadata.from(Map.of(UruncKeys.HYPERVISOR, "qemu"), k -> AT, AT))
                .isInstanceOf(BuildFileException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(UruncNames.GUESTS.toArray(String[]::new)));
        assertThatThrownBy(() -> UruncMetadata.from(Map.of(UruncKeys.TYPE, "linux"), k -> AT, AT))
                .isInstanceOf(BuildFileException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(UruncNames.MONITORS.toArray(String[]::new)));
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
