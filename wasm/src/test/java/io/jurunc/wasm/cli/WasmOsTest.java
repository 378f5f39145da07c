package io.jurunc.wasm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WASM CLI's system calls against the real kernel. */
class WasmOsTest {
    @TempDir
    Path dir;

    @Test
    void aPokeReachesAReaderAndNeverWaitsForOne() throws Exception {
        Path fifo = dir.resolve("fifo");
        WasmOs.mkfifo(fifo);
        assertThatThrownBy(() -> WasmOs.mkfifo(fifo))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("EEXIST");

        assertThat(WasmOs.poke(fifo)).as("no reader yet").isFalse();

        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!WasmOs.poke(fifo)) {
            assertThat(System.nanoTime()).as("the reader opened the FIFO").isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(reader.get(5, TimeUnit.SECONDS)).isEqualTo("start\n");
    }

    @Test
    void killTellsAGoneProcessApart() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(WasmOs.kill(child.pid(), 0)).isTrue();
            assertThat(WasmOs.kill(child.pid(), 9)).isTrue();
            child.waitFor();
            assertThat(WasmOs.kill(child.pid(), 0)).isFalse();
            assertThatThrownBy(() -> WasmOs.kill(ProcessHandle.current().pid(), 999))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("EINVAL");
        } finally {
            child.destroyForcibly();
        }
    }
}
