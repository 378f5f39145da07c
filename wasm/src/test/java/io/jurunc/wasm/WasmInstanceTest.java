package io.jurunc.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The module built from probe.c run by jurunc's instance (Chicory) and by Node's WASI with the same
 * args, env, preopens and stdin: the outputs and exit statuses must agree.
 */
class WasmInstanceTest {
    @TempDir
    static Path tmp;

    static Path rootfs;
    static Path data;
    static final ModuleCache CACHE = new ModuleCache(8);
    final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void buildModule() throws Exception {
        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        data = Files.createDirectories(tmp.resolve("data"));
        WasmToolchain.compile("probe.c", rootfs.resolve("probe.wasm"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/greeting"), "hello from the image\n");
        Files.writeString(data.resolve("note.txt"), "hello from a bind mount\n");
        Files.createDirectories(rootfs.resolve("tmp"));
        // hostile links: absolute and relative ways out of the rootfs
        Files.createSymbolicLink(rootfs.resolve("etc/escape-abs"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(rootfs.resolve("etc/escape-rel"), Path.of("../../../../../../../../etc/hostname"));
        Files.createSymbolicLink(rootfs.resolve("greeting-link"), Path.of("etc/greeting"));
    }

    record Run(int status, String stdout, String stderr) {}

    private Run jurunc(
            List<String> args,
            Map<String, String> env,
            List<Preopen> preopens,
            byte[] stdin,
            OptionalLong memory,
            Optional<Duration> budget,
            Engine engine)
            throws Exception {
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        WasmConfig cfg = new WasmConfig(
                "test", tmp, rootfs, "/probe.wasm", args, envList, "/", preopens, memory, budget, engine, false);
        CompiledModule m = CACHE.get(ModuleBytes.read(rootfs, "/probe.wasm"), engine);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        WasmInstance inst = WasmInstance.prepare(
                m, cfg, new WasmStdio(new ByteArrayInputStream(stdin), out, err, () -> {}), log::add);
        inst.start();
        int status = inst.exit().get(120, TimeUnit.SECONDS);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run jurunc(String... args) throws Exception {
        return jurunc(
                withArgv0(args),
                Map.of(),
                defaultPreopens(),
                new byte[0],
                OptionalLong.empty(),
                Optional.empty(),
                Engine.COMPILER);
    }

    private static List<String> withArgv0(String... args) {
        List<String> a = new ArrayList<>();
        a.add("/probe.wasm");
        a.addAll(List.of(args));
        return a;
    }

    private static List<Preopen> defaultPreopens() {
        return List.of(new Preopen("/", rootfs, false), new Preopen("/data", data, true));
    }

    private Run node(Map<String, String> env, byte[] stdin, String... args) throws Exception {
        Map<String, Path> pre = new LinkedHashMap<>();
        pre.put("/", rootfs);
        pre.put("/data", data);
        WasmToolchain.Result r = NodeWasi.run(rootfs.resolve("probe.wasm"), withArgv0(args), env, pre, stdin);
        return new Run(r.status(), r.stdout(), r.stderr());
    }

    private void sameAsNode(String... args) throws Exception {
        Run j = jurunc(args);
        Run n = node(Map.of(), new byte[0], args);
        assertThat(j.stdout()).isEqualTo(n.stdout());
        assertThat(j.status()).isEqualTo(n.status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void argsAsNode(Engine engine) throws Exception {
        String[] args = {"args", "one", "two words", "ünïcode"};
        Run j = jurunc(
                withArgv0(args),
                Map.of(),
                defaultPreopens(),
                new byte[0],
                OptionalLong.empty(),
                Optional.empty(),
                engine);
        Run n = node(Map.of(), new byte[0], args);
        assertThat(j.stdout()).isEqualTo(n.stdout()).contains("arg[3]=two words", "arg[0]=/probe.wasm");
        assertThat(j.status()).isZero().isEqualTo(n.status());
    }

    @Test
    void envAsNode() throws Exception {
        Map<String, String> env = Map.of("GREETING", "hi there", "EMPTY", "");
        String[] args = {"env", "GREETING", "EMPTY", "MISSING"};
        Run j = jurunc(
                withArgv0(args),
                env,
                defaultPreopens(),
                new byte[0],
                OptionalLong.empty(),
                Optional.empty(),
                Engine.COMPILER);
        Run n = node(env, new byte[0], args);
        assertThat(j.stdout()).isEqualTo(n.stdout()).contains("GREETING=hi there", "MISSING=(unset)");
    }

    @Test
    void fileFromTheImageAsNode() throws Exception {
        sameAsNode("cat", "/etc/greeting");
        assertThat(jurunc("cat", "/etc/greeting").stdout()).isEqualTo("hello from the image\n");
        assertThat(jurunc("cat", "/greeting-link").stdout()).isEqualTo("hello from the image\n");
    }

    @Test
    void fileFromABindMountAsNode() throws Exception {
        sameAsNode("cat", "/data/note.txt");
        assertThat(jurunc("cat", "/data/note.txt").stdout()).isEqualTo("hello from a bind mount\n");
    }

    @Test
    void missingFileAsNode() throws Exception {
        sameAsNode("cat", "/etc/nothing-here");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/escape-abs", "/etc/escape-rel", "/../../etc/hostname"})
    void linksAndDotDotStayInTheRootfs(String path) throws Exception {
        String host = Files.readString(Path.of("/etc/hostname"));
        Run j = jurunc("cat", path);
        assertThat(j.stdout()).doesNotContain(host.strip()).startsWith("open " + path);
        Run n = node(Map.of(), new byte[0], "cat", path);
        assertThat(n.stdout()).doesNotContain(host.strip());
    }

    @Test
    void stdinAsNode() throws Exception {
        byte[] in = "some input for the module\nsecond line".getBytes(StandardCharsets.UTF_8);
        Run j = jurunc(
                withArgv0("stdin"),
                Map.of(),
                defaultPreopens(),
                in,
                OptionalLong.empty(),
                Optional.empty(),
                Engine.COMPILER);
        Run n = node(Map.of(), in, "stdin");
        assertThat(j.stdout()).isEqualTo(n.stdout()).startsWith("SOME INPUT FOR THE MODULE\nSECOND LINE");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 42, 255})
    void exitCodesAsNode(int code) throws Exception {
        Run j = jurunc("exit", Integer.toString(code));
        Run n = node(Map.of(), new byte[0], "exit", Integer.toString(code));
        assertThat(j.status()).isEqualTo(code).isEqualTo(n.status());
        assertThat(j.stderr()).isEqualTo(n.stderr()).isEqualTo("exiting with " + code + "\n");
    }

    @Test
    void clocksAndRandomAsNode() throws Exception {
        sameAsNode("clock");
        assertThat(jurunc("clock").stdout()).isEqualTo("monotonic=ok realtime_after_2020=yes random=ok\n");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void trapIsAClearErrorAndNonZero(Engine engine) throws Exception {
        Run j = jurunc(
                withArgv0("trap"),
                Map.of(),
                defaultPreopens(),
                new byte[0],
                OptionalLong.empty(),
                Optional.empty(),
                engine);
        Run n = node(Map.of(), new byte[0], "trap");
        assertThat(j.stdout()).isEqualTo(n.stdout()).isEqualTo("before the trap\n");
        assertThat(j.status()).isEqualTo(WasmInstance.TRAP_STATUS);
        assertThat(n.status()).isNotZero();
        assertThat(j.stderr()).contains("wasm trap in /probe.wasm").contains("unreachable");
        assertThat(n.stderr()).contains("unreachable");
    }

    @Test
    void memoryLimitCapsLinearMemory() throws Exception {
        Run unlimited = jurunc("alloc", "48");
        Run n = node(Map.of(), new byte[0], "alloc", "48");
        assertThat(unlimited.stdout()).isEqualTo(n.stdout()).isEqualTo("allocated 48 of 48 MiB\n");
        Run limited = jurunc(
                withArgv0("alloc", "48"),
                Map.of(),
                defaultPreopens(),
                new byte[0],
                OptionalLong.of(16L * 1024 * 1024),
                Optional.empty(),
                Engine.COMPILER);
        assertThat(limited.status()).isEqualTo(4);
        int got = Integer.parseInt(limited.stdout().split(" ")[1]);
        assertThat(got).isBetween(10, 15);
    }

    @Test
    void aLimitBelowTheModulesInitialMemoryFailsBeforeStart() throws Exception {
        assertThatThrownBy(() -> jurunc(
                        withArgv0("hello"),
                        Map.of(),
                        defaultPreopens(),
                        new byte[0],
                        OptionalLong.of(64 * 1024),
                        Optional.empty(),
                        Engine.COMPILER))
                .isInstanceOf(WasmException.class)
                .hasMessageContaining("more than the memory limit of 65536 bytes");
    }

    @Test
    void readOnlyRootfsRefusesWritesAndWritableOneTakesThem() throws Exception {
        Run ro = jurunc(
                withArgv0("write", "/tmp/out.txt", "x"),
                Map.of(),
                List.of(new Preopen("/", rootfs, true)),
                new byte[0],
                OptionalLong.empty(),
                Optional.empty(),
                Engine.COMPILER);
        assertThat(ro.status()).isEqualTo(3);
        assertThat(rootfs.resolve("tmp/out.txt")).doesNotExist();
        Run rw = jurunc("write", "/tmp/out.txt", "x");
        assertThat(rw.status()).isZero();
        assertThat(rootfs.resolve("tmp/out.txt")).hasContent("x");
        Run roBind = jurunc("write", "/data/new.txt", "x");
        assertThat(roBind.status()).isEqualTo(3);
        assertThat(data.resolve("new.txt")).doesNotExist();
        Files.delete(rootfs.resolve("tmp/out.txt"));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void killStopsAnEndlessLoopAtOnceAsItStopsNode(Engine engine) throws Exception {
        List<String> envList = List.of();
        WasmConfig cfg = new WasmConfig(
                "loop",
                tmp,
                rootfs,
                "/probe.wasm",
                withArgv0("loop"),
                envList,
                "/",
                defaultPreopens(),
                OptionalLong.empty(),
                Optional.empty(),
                engine,
                false);
        CompiledModule m = CACHE.get(ModuleBytes.read(rootfs, "/probe.wasm"), engine);
        java.io.PipedInputStream pin = new java.io.PipedInputStream();
        java.io.PipedOutputStream pout = new java.io.PipedOutputStream(pin);
        WasmInstance inst = WasmInstance.prepare(
                m,
                cfg,
                new WasmStdio(
                        java.io.InputStream.nullInputStream(),
                        pout,
                        java.io.OutputStream.nullOutputStream(),
                        pout::close),
                log::add);
        inst.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(pin, StandardCharsets.UTF_8));
        assertThat(r.readLine()).isEqualTo("looping");
        assertThat(inst.isRunning()).isTrue();
        assertThat(inst.signal(9)).isTrue();
        int status = inst.exit().get(1, TimeUnit.SECONDS);
        assertThat(log).noneMatch(l -> l.contains("did not stop"));

        Process p = new ProcessBuilder(
                        "node",
                        "--no-warnings",
                        writeNodeScript().toString(),
                        "{\"module\":\"" + rootfs.resolve("probe.wasm") + "\",\"args\":[\"/probe.wasm\",\"loop\"],"
                                + "\"env\":{},\"preopens\":{}}")
                .start();
        BufferedReader nr = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(nr.readLine()).isEqualTo("looping");
        p.destroyForcibly();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(status).isEqualTo(128 + 9).isEqualTo(p.exitValue());
    }

    private static Path writeNodeScript() throws Exception {
        Path script = tmp.resolve("node-wasi.mjs");
        try (var in = WasmInstanceTest.class.getResourceAsStream("/wasm/node-wasi.mjs")) {
            Files.write(script, in.readAllBytes());
        }
        return script;
    }

    @Test
    void cpuBudgetStopsTheModule() throws Exception {
        Run j = jurunc(
                withArgv0("loop"),
                Map.of(),
                defaultPreopens(),
                new byte[0],
                OptionalLong.empty(),
                Optional.of(Duration.ofMillis(300)),
                Engine.COMPILER);
        assertThat(j.status()).isEqualTo(128 + WasmInstance.SIGXCPU);
        assertThat(j.stderr()).contains("CPU budget of 300 ms exhausted");
    }

    @Test
    void killBeforeStartEndsWithTheSignal() throws Exception {
        WasmConfig cfg = new WasmConfig(
                "early",
                tmp,
                rootfs,
                "/probe.wasm",
                withArgv0("hello"),
                List.of(),
                "/",
                defaultPreopens(),
                OptionalLong.empty(),
                Optional.empty(),
                Engine.INTERPRETER,
                false);
        WasmInstance inst = WasmInstance.prepare(
                CACHE.get(ModuleBytes.read(rootfs, "/probe.wasm"), Engine.INTERPRETER),
                cfg,
                new WasmStdio(
                        java.io.InputStream.nullInputStream(),
                        java.io.OutputStream.nullOutputStream(),
                        java.io.OutputStream.nullOutputStream(),
                        () -> {}),
                log::add);
        assertThat(inst.signal(15)).isTrue();
        assertThat(inst.exit().get(1, TimeUnit.SECONDS)).isEqualTo(143);
        assertThat(inst.signal(15)).isFalse();
    }

    @Test
    void theCacheCompilesAModuleOnce() throws Exception {
        ModuleCache cache = new ModuleCache(2);
        ModuleBytes b = ModuleBytes.read(rootfs, "/probe.wasm");
        CompiledModule first = cache.get(b, Engine.COMPILER);
        assertThat(cache.get(b, Engine.COMPILER)).isSameAs(first);
        assertThat(cache.get(b, Engine.INTERPRETER)).isNotSameAs(first);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(2);
        assertThat(first.digest()).startsWith("sha256:").hasSize(7 + 64);
    }
}
