package io.jurunc.wasm;

import io.jurunc.oci.Json;
import io.jurunc.oci.Spec;
import io.jurunc.oci.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a WASM container runs, read from its bundle: the module (the first of {@code process.args}, in the
 * rootfs), WASI args/env/cwd, the preopens (rootfs as {@code /}, read-only when {@code root.readonly}; each
 * bind mount of a directory at its destination, read-only with {@code ro}), the OCI memory limit and the
 * optional CPU budget ({@value #CPU_BUDGET}, CPU milliseconds) and engine ({@value #ENGINE}).
 */
public record WasmConfig(
        String id,
        Path bundle,
        Path rootfs,
        String modulePath,
        List<String> args,
        List<String> env,
        String cwd,
        List<Preopen> preopens,
        OptionalLong memoryLimitBytes,
        Optional<Duration> cpuBudget,
        Engine engine,
        boolean terminal) {
    public static final String CPU_BUDGET = "io.jurunc.wasm.cpu-budget-ms";
    public static final String ENGINE = "io.jurunc.wasm.engine";
    /** Mount types that are kernel file systems: a module has no use for them, and they are not preopened. */
    static final Set<String> BIND_TYPES = Set.of("bind", "rbind", "none");

    public WasmConfig {
        args = List.copyOf(args);
        env = List.copyOf(env);
        preopens = List.copyOf(preopens);
    }

    public static WasmConfig load(String id, Path bundleDir) throws WasmException {
        Path bundle = bundleDir.toAbsolutePath().normalize();
        Spec spec;
        try {
            spec = Json.loadSpec(bundle);
        } catch (SpecException e) {
            throw new WasmException(e.getMessage(), e);
        }
        return of(id, bundle, spec);
    }

    public static WasmConfig of(String id, Path bundle, Spec spec) throws WasmException {
        if (spec.root() == null
                || spec.root().path() == null
                || spec.root().path().isBlank()) {
            throw new WasmException(bundle.resolve("config.json") + ": root.path is missing");
        }
        Path rootfs = bundle.resolve(spec.root().path()).normalize();
        if (!Files.isDirectory(rootfs)) {
            throw new WasmException("root.path " + rootfs + " is not a directory");
        }
        Spec.Process p = spec.process();
        if (p == null || p.args().isEmpty() || p.args().getFirst().isBlank()) {
            throw new InvalidModuleException("process.args is empty: a WASM image's ENTRYPOINT names its .wasm "
                    + "module (e.g. ENTRYPOINT [\"/app.wasm\"])");
        }
        String cwd = p.cwd() == null || p.cwd().isBlank() ? "/" : p.cwd();
        if (!cwd.startsWith("/")) {
            throw new WasmException("process.cwd " + cwd + " is not absolute");
        }
        String entry = p.args().getFirst();
        String modulePath = entry.startsWith("/") ? entry : (cwd.endsWith("/") ? cwd : cwd + "/") + entry;
        List<Preopen> preopens = new ArrayList<>();
        preopens.add(new Preopen(
                "/", rootfs, spec.root().readonly() != null && spec.root().readonly()));
        for (Spec.Mount m : spec.mounts()) {
            boolean bind = (m.type() == null || BIND_TYPES.contains(m.type()))
                    && m.options().stream().anyMatch(o -> o.equals("bind") || o.equals("rbind"));
            if (!bind
                    || m.source() == null
                    || m.destination() == null
                    || !m.destination().startsWith("/")) {
                continue;
            }
            Path source = Path.of(m.source());
            if (!source.isAbsolute() || !Files.isDirectory(source)) {
                continue; // file binds (/etc/hosts, resolv.conf) cannot be WASI preopens
            }
            preopens.add(new Preopen(
                    Path.of(m.destination()).normalize().toString(),
                    source,
                    m.options().contains("ro")));
        }
        Map<String, String> a = spec.annotations();
        OptionalLong memory = OptionalLong.empty();
        if (spec.linux() != null
                && spec.linux().resources() != null
                && spec.linux().resources().memory() != null
                && spec.linux().resources().memory().limit() != null
                && spec.linux().resources().memory().limit() > 0) {
            memory = OptionalLong.of(spec.linux().resources().memory().limit());
        }
        Optional<Duration> budget = Optional.empty();
        if (a.containsKey(CPU_BUDGET)) {
            try {
                long ms = Long.parseLong(a.get(CPU_BUDGET).strip());
                if (ms <= 0) {
                    throw new NumberFormatException();
                }
                budget = Optional.of(Duration.ofMillis(ms));
            } catch (NumberFormatException e) {
                throw new WasmException(
                        CPU_BUDGET + "=" + a.get(CPU_BUDGET) + ": give a positive number of CPU milliseconds");
            }
        }
        Engine engine = a.containsKey(ENGINE) ? Engine.parse(a.get(ENGINE).strip()) : Engine.COMPILER;
        return new WasmConfig(
                id,
                bundle,
                rootfs,
                modulePath,
                p.args(),
                p.env(),
                cwd,
                preopens,
                memory,
                budget,
                engine,
                p.isTerminal());
    }
}
