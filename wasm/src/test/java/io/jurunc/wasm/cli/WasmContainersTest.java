package io.jurunc.wasm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.wasm.InvalidModuleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's process per WASM container (runc's model): create leaves a process waiting for start, start
 * releases it, state follows the process, kill signals it, delete removes it; bad input leaves nothing.
 */
class WasmContainersTest {
    @TempDir
    static Path tmp;

    static Path wasm;
    final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void buildModule() throws Exception {
        Path src = tmp.resolve("m.c");
        Files.writeString(src, """
                #include <stdio.h>
                #include <string.h>
                int main(int argc, char **argv) {
                    if (argc > 1 && !strcmp(argv[1], "loop")) for (volatile int i = 0;; i++);
                    puts("done");
                    return 0;
                }
                """);
        wasm = tmp.resolve("m.wasm");
        Process p = new ProcessBuilder(
                        "clang-14",
                        "--target=wasm32-wasi",
                        "--sysroot=/usr",
                        "-O2",
                        "-o",
                        wasm.toString(),
                        src.toString())
                .inheritIO()
                .start();
        assertThat(p.waitFor())
                .as("clang-14 for wasm32-wasi (scripts/install-deps.sh)")
                .isZero();
    }

    private Path bundle(String name, String... args) throws Exception {
        Path b = Files.createDirectories(tmp.resolve(name));
        Files.createDirectories(b.resolve("rootfs"));
        Files.copy(wasm, b.resolve("rootfs/app.wasm"));
        Files.writeString(b.resolve("config.json"), """
                {"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"args":%s,"cwd":"/"},
                 "annotations":{"run.oci.handler":"wasm"}}
                """.formatted(io.jurunc.oci.Json.write(List.of(args))));
        return b;
    }

    private static void awaitStatus(WasmContainers c, String id, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!c.state(id).status().equals(status)) {
            assertThat(System.nanoTime()).as("%s did not become %s", id, status).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void createStartStateDelete() throws Exception {
        Path root = tmp.resolve("root1");
        WasmContainers c = new WasmContainers(root, log::add);
        Path pidFile = tmp.resolve("pid1");
        long pid = c.create("w1", bundle("b1", "/app.wasm"), Optional.of(pidFile), WasmContainers.thisJava());
        assertThat(c.owns("w1")).isTrue();
        assertThat(pidFile).hasContent(Long.toString(pid));
        assertThat(c.state("w1").status()).isEqualTo("created");
        assertThat(c.state("w1").pid()).isEqualTo((int) pid);
        assertThat(c.pids("w1")).containsExactly(pid);
        c.start("w1");
        awaitStatus(c, "w1", "stopped");
        assertThat(c.state("w1").pid()).isZero();
        assertThatThrownBy(() -> c.start("w1")).isInstanceOf(WasmStateException.class);
        assertThatThrownBy(() -> c.kill("w1", 15))
                .isInstanceOf(WasmStateException.class)
                .hasMessageContaining("not running");
        c.delete("w1", false);
        assertThat(root.resolve("w1")).doesNotExist();
        assertThatThrownBy(() -> c.state("w1"))
                .isInstanceOf(WasmStateException.class)
                .extracting(e -> ((WasmStateException) e).kind())
                .isEqualTo(WasmStateException.Kind.NOT_FOUND);
    }

    @Test
    void killStopsALoopAndARunningContainerNeedsForce() throws Exception {
        Path root = tmp.resolve("root2");
        WasmContainers c = new WasmContainers(root, log::add);
        long pid = c.create("w2", bundle("b2", "/app.wasm", "loop"), Optional.empty(), WasmContainers.thisJava());
        c.start("w2");
        assertThat(c.state("w2").status()).isEqualTo("running");
        assertThatThrownBy(() -> c.delete("w2", false))
                .isInstanceOf(WasmStateException.class)
                .hasMessageContaining("--force");
        c.kill("w2", 15);
        awaitStatus(c, "w2", "stopped");
        // this JVM started it, so this JVM reaps it (containerd's shim or conmon would)
        ProcessHandle.of(pid)
                .ifPresent(h -> h.onExit()
                        .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                        .join());
        c.delete("w2", false);
        assertThat(root.resolve("w2")).doesNotExist();
    }

    @Test
    void aCreatedContainerIsDeletedLikeRuncDoes() throws Exception {
        WasmContainers c = new WasmContainers(tmp.resolve("root3"), log::add);
        long pid = c.create("w3", bundle("b3", "/app.wasm"), Optional.empty(), WasmContainers.thisJava());
        assertThatThrownBy(() -> c.create("w3", tmp.resolve("b3"), Optional.empty(), WasmContainers.thisJava()))
                .isInstanceOf(WasmStateException.class)
                .hasMessageContaining("already exists");
        c.delete("w3", false);
        ProcessHandle.of(pid)
                .ifPresent(h -> h.onExit()
                        .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                        .join());
        assertThat(tmp.resolve("root3/w3")).doesNotExist();
    }

    @Test
    void badInputIsAClearErrorAndLeavesNothing() throws Exception {
        Path root = tmp.resolve("root4");
        WasmContainers c = new WasmContainers(root, log::add);
        Path b = bundle("b4", "/script.sh");
        Files.writeString(b.resolve("rootfs/script.sh"), "#!/bin/sh\n");
        assertThatThrownBy(() -> c.create("w4", b, Optional.empty(), WasmContainers.thisJava()))
                .isInstanceOf(InvalidModuleException.class)
                .hasMessageContaining("not a WebAssembly module");
        assertThat(root.resolve("w4")).doesNotExist();
        assertThatThrownBy(() -> c.create("../escape", b, Optional.empty(), WasmContainers.thisJava()))
                .hasMessageContaining("invalid container id");
        // a memory limit below the module's initial memory is found by the container process during create
        Path small = bundle("b5", "/app.wasm");
        Files.writeString(small.resolve("config.json"), """
                {"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"args":["/app.wasm"],"cwd":"/"},
                 "annotations":{"run.oci.handler":"wasm"},"linux":{"resources":{"memory":{"limit":65536}}}}
                """);
        assertThatThrownBy(() -> c.create("w5", small, Optional.empty(), WasmContainers.thisJava()))
                .hasMessageContaining("more than the memory limit");
        assertThat(root.resolve("w5")).doesNotExist();
    }
}
