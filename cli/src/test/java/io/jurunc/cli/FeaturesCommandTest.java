package io.jurunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FeaturesCommandTest {
    @Test
    void guestsAndMonitorsComeFromTheRuntimesRegistry() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertThat(new FeaturesCommand().call()).isZero();
        } finally {
            System.setOut(out);
        }
        JsonNode annotations = new ObjectMapper()
                .readTree(buf.toString(StandardCharsets.UTF_8))
                .path("annotations");
        assertThat(annotations.path("io.jurunc.guests").asText())
                .isEqualTo(FeaturesCommand.guests())
                .startsWith("linux,unikraft,rumprun,mirage,mewz,hermit");
        assertThat(annotations.path("io.jurunc.monitors").asText())
                .isEqualTo(FeaturesCommand.monitors())
                .startsWith("qemu,firecracker,cloud-hypervisor,hvt,spt");
    }
}
