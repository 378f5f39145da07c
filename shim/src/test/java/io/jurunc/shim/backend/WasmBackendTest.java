package io.jurunc.shim.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WASM containers in the daemon's JVM: selection, exit status through the process view, kill, cache. */
class WasmBackendTest {
    @TempDir
    static Path tmp;

    static Path wasm;
    final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void buildModule() throws Exception {
        Path src = tmp.resolve("m.c");
        Files.writeString(src, """
                #include <stdio.h>
                #include <stdlib.h>
                #include <string.h>
                int main(int argc, char **argv) {
                    if (argc > 1 && !strcmp(argv[1], "loop")) { printf("looping\\n"); fflush(stdout); for (volatile int i = 0;; i++); }
                    printf("hello %s\\n", argc > 1 ? argv[1] : "");
                    return argc > 2 ? atoi(argv[2]) : 0;
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

    private Path bundle(String name, String annotations, String... args) throws Exception {
        Path b = Files.createDirectories(tmp.resolve(name));
        Files.createDirectories(b.resolve("rootfs"));
        Files.copy(wasm, b.resolve("rootfs/app.wasm"));
        Files.writeString(
                b.resolve("config.json"), """
                {"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"args":%s,"cwd":"/"},"annotations":{%s}}
                """.formatted(io.jurunc.oci.Json.write(List.of(args)), annotations));
        return b;
    }

    private CreateSpec spec(String id, Path bundle, Path out) {
        return new CreateSpec(id, bundle, Optional.empty(), Optional.of(out), Optional.of(out), false);
    }

    @Test
    void selectsByEachConvention() throws Exception {
        BackendSelector.Classifier c = WasmBackend.classifier();
        assertThat(c.isUnikernel(bundle("v1", "\"module.wasm.image/variant\":\"compat\"", "/app.wasm")))
                .isTrue();
        assertThat(c.isUnikernel(bundle("v2", "\"module.wasm.image/variant\":\"compat-smart\"", "/app.wasm")))
                .isTrue();
        assertThat(c.isUnikernel(bundle("v3", "\"run.oci.handler\":\"wasm\"", "/app.wasm")))
                .isTrue();
        assertThat(c.isUnikernel(bundle("v4", "\"com.urunc.unikernel.unikernelType\":\"wasm\"", "/app.wasm")))
                .isTrue();
        Path json = bundle("v5", "", "/app.wasm");
        Files.writeString(json.resolve("rootfs/urunc.json"), "{\"com.urunc.unikernel.unikernelType\":\"d2FzbQ==\"}");
        assertThat(c.isUnikernel(json)).isTrue();
        assertThat(c.isUnikernel(bundle("no1", "\"module.wasm.image/variant\":\"other\"", "/app.wasm")))
                .isFalse();
        assertThat(c.isUnikernel(bundle("no2", "", "/app.wasm"))).isFalse();
    }

    @Test
    void runsToItsExitStatusAndReportsTheDaemonsPid() throws Exception {
        WasmBackend backend = new WasmBackend(log::add);
        Path out = tmp.resolve("out1");
        Created c = backend.create(
                spec("c1", bundle("c1", "\"run.oci.handler\":\"wasm\"", "/app.wasm", "world", "3"), out));
        assertThat(c.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(c.process()).isPresent();
        assertThat(c.process().get().isAlive()).isTrue();
        backend.start("c1");
        assertThat(c.process().get().waitFor()).isEqualTo(3);
        assertThat(out).hasContent("hello world");
        assertThat(backend.pids("c1")).isEmpty();
        backend.delete("c1", false);
        assertThatThrownBy(() -> backend.pids("c1")).isInstanceOf(BackendException.class);
    }

    @Test
    void killStopsALoopAndTheCacheServesTheSecondContainer() throws Exception {
        WasmBackend backend = new WasmBackend(log::add);
        Path b = bundle("loop", "\"run.oci.handler\":\"wasm\"", "/app.wasm", "loop");
        Created c1 = backend.create(spec("l1", b, tmp.resolve("out2")));
        Created c2 = backend.create(spec("l2", b, tmp.resolve("out3")));
        assertThat(backend.cache().misses()).isEqualTo(1);
        assertThat(backend.cache().hits()).isEqualTo(1);
        backend.start("l1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(tmp.resolve("out2")).contains("looping") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(backend.pids("l1"))
                .containsExactly(Math.toIntExact(ProcessHandle.current().pid()));
        backend.kill("l1", 15, false);
        assertThat(c1.process().get().waitFor(2, TimeUnit.SECONDS)).isTrue();
        assertThat(c1.process().get().exitValue()).isEqualTo(143);
        assertThatThrownBy(() -> backend.kill("l1", 15, false))
                .isInstanceOf(BackendException.class)
                .extracting(e -> ((BackendException) e).kind())
                .isEqualTo(BackendException.Kind.NOT_FOUND);
        backend.delete("l2", true); // created, never started
        assertThat(c2.process().get().waitFor()).isEqualTo(137);
    }

    @Test
    void aNonModuleEntrypointIsAClearError() throws Exception {
        WasmBackend backend = new WasmBackend(log::add);
        Path b = bundle("notwasm", "\"run.oci.handler\":\"wasm\"", "/script.sh");
        Files.writeString(b.resolve("rootfs/script.sh"), "#!/bin/sh\necho hi\n");
        assertThatThrownBy(() -> backend.create(spec("n1", b, tmp.resolve("out4"))))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("/script.sh is not a WebAssembly module");
        assertThatThrownBy(() -> backend.pids("n1")).isInstanceOf(BackendException.class);
    }
}
