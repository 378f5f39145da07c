package io.jurunc.shim.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.shim.os.LinuxShimOs;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay on the real OS: a child reads containerd's stdin FIFO through the shim's pipe. */
class StdinRelayTest {
    @TempDir
    Path tmp;

    private Path fifo() throws Exception {
        Path fifo = tmp.resolve("stdin");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();
        return fifo;
    }

    @Test
    void copiesUntilTheClientClosesItsEnd() throws Exception {
        Path fifo = fifo();
        List<String> log = new ArrayList<>();
        try (StdinRelay relay = StdinRelay.open(fifo, new LinuxShimOs(), log::add)) {
            Process cat = new ProcessBuilder("cat")
                    .redirectInput(relay.childPath().toFile())
                    .start();
            relay.start();
            try (OutputStream client = new FileOutputStream(fifo.toFile())) {
                client.write("hello through the relay\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(cat.waitFor(10, TimeUnit.SECONDS))
                    .as("cat sees EOF after the client closes")
                    .isTrue();
            assertThat(new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("hello through the relay\n");
        }
        assertThat(log).isEmpty();
    }

    @Test
    void closeIoEndsStdinEvenIfTheClientNeverOpenedTheFifo() throws Exception {
        Path fifo = fifo();
        StdinRelay relay = StdinRelay.open(fifo, new LinuxShimOs(), m -> {});
        Process cat = new ProcessBuilder("cat")
                .redirectInput(relay.childPath().toFile())
                .start();
        relay.start();
        assertThat(cat.waitFor(300, TimeUnit.MILLISECONDS))
                .as("stdin stays open meanwhile")
                .isFalse();
        relay.closeStdin();
        assertThat(cat.waitFor(10, TimeUnit.SECONDS)).isTrue();
        relay.close();
    }
}
