package io.jurunc.bench.spawn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link SamplesFile}, {@link TimestampsFile} and {@link GuestConsole}. */
class SamplesFileTest {
    @Test
    void parse_readsEveryField() throws Exception {
        List<Sample> s = SamplesFile.parse(
                "samples.tsv",
                List.of(
                        SamplesFile.HEADER,
                        "runc\t1\tb1-runc-1\t1000000000\t1150000000\t1536\t5632\t0\t0\t0\tok",
                        "qemu\t1\tb1-qemu-1\t2000000000\t0\t0\t0\t0\t0\t0\ttimeout"));
        assertThat(s).hasSize(2);
        assertThat(s.get(0).spawnMs()).isEqualTo(150.0);
        assertThat(s.get(0).hostPssKb()).isEqualTo(1536 + 5632);
        assertThat(s.get(1).ok()).isFalse();
    }

    @Test
    void parse_rejectsAFileWithoutTheHeader() {
        assertThatThrownBy(() -> SamplesFile.parse("x.tsv", List.of("runc\t1")))
                .isInstanceOf(BenchInputException.class)
                .hasMessageContaining("x.tsv")
                .hasMessageContaining("header");
    }

    @Test
    void parse_namesTheLineOfABadRow() {
        assertThatThrownBy(() -> SamplesFile.parse(
                        "x.tsv", List.of(SamplesFile.HEADER, "runc\tone\tid\t1\t2\t0\t0\t0\t0\t0\tok")))
                .isInstanceOf(BenchInputException.class)
                .hasMessageStartingWith("x.tsv:2:");
        assertThatThrownBy(() -> SamplesFile.parse("x.tsv", List.of(SamplesFile.HEADER, "runc\t1\tid")))
                .isInstanceOf(BenchInputException.class)
                .hasMessageContaining("11 tab-separated fields");
    }

    @Test
    void timestamps_parseJsonLines() throws Exception {
        List<PhaseMark> m = TimestampsFile.parse(
                "ts",
                List.of("{\"containerID\":\"c1\",\"phase\":\"create.invoked\",\"time\":1795705608674194841}", ""));
        assertThat(m).containsExactly(new PhaseMark("c1", "create.invoked", 1795705608674194841L));
        assertThatThrownBy(() -> TimestampsFile.parse("ts", List.of("{\"phase\":\"x\"}")))
                .isInstanceOf(BenchInputException.class)
                .hasMessageContaining("ts:1");
    }

    @Test
    void console_findsTheInitStartUptime() {
        assertThat(GuestConsole.initStartMs("PCI: x\r\njurunc-init: started at uptime 0.287\r\n")
                        .getAsDouble())
                .isEqualTo(287.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(GuestConsole.initStartMs("no timestamps here")).isEmpty();
    }
}
