package io.jurunc.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.jurunc.runtime.sandbox.SandboxSettings;
import io.jurunc.runtime.vm.MonitorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Host defaults from {@code /etc/jurunc/config.toml} (or {@code $JURUNC_CONFIG}). A missing file
 * gives the defaults; a malformed one is an error (unlike urunc, which warns), because silently
 * ignoring a typo in a monitor path would run the wrong binary.
 *
 * <pre>
 * [log]        level = "info"
 * [timestamps] enabled = false, destination = "/var/log/jurunc/timestamps.log"
 * [runtime]    runc = "runc", accel = "auto" | "kvm" | "tcg", kit = "/var/lib/jurunc/kit",
 *              max_memory_mb = 0 (0: host memory), debug_guest = false
 * [monitors.qemu]  path = "", default_memory_mb = 256, default_vcpus = 1, data_path = "", vhost = false
 * [vaccel]     agent_address = "" (e.g. tcp://10.0.0.1:8192 or vsock://2:2048)
 * [sandbox]    helper = "" (else &lt;jurunc.home&gt;/libexec/jurunc-sandbox), uid_base = 1000000000,
 *              uid_count = 65536, ids_dir = "/run/jurunc/ids", monitor_overhead_mb = 256, read_only = [],
 *              read_write = []
 * </pre>
 */
public record JuruncConfig(
        String logLevel,
        boolean timestamps,
        Path timestampsDestination,
        String runc,
        String accel,
        Path kitDir,
        long maxMemoryMb,
        boolean debugGuest,
        Map<MonitorType, MonitorSettings> monitors,
        Optional<String> vaccelAgentAddress,
        SandboxSettings sandbox) {

    public static final Path DEFAULT_PATH = Path.of("/etc/jurunc/config.toml");

    public JuruncConfig {
        monitors = Map.copyOf(monitors);
        sandbox = sandbox == null ? SandboxSettings.defaults() : sandbox;
    }

    /** Per-monitor settings. */
    public record MonitorSettings(
            Optional<Path> path, long defaultMemoryMb, int defaultVcpus, Optional<Path> dataPath, boolean vhost) {
        static final MonitorSettings DEFAULT = new MonitorSettings(Optional.empty(), 256, 1, Optional.empty(), false);
    }

    public MonitorSettings monitor(MonitorType type) {
        return monitors.getOrDefault(type, MonitorSettings.DEFAULT);
    }

    public static JuruncConfig defaults() {
        return new JuruncConfig(
                "info",
                false,
                Path.of("/var/log/jurunc/timestamps.log"),
                "runc",
                "auto",
                Path.of("/var/lib/jurunc/kit"),
                0,
                false,
                Map.of(),
                Optional.empty(),
                SandboxSettings.defaults());
    }

    /** Loads from $JURUNC_CONFIG or the default path. */
    public static JuruncConfig load() throws ConfigException {
        return load(System.getenv());
    }

    /** Loads from {@code JURUNC_CONFIG} of {@code env} (a caller's environment), or the default path. */
    public static JuruncConfig load(Map<String, String> env) throws ConfigException {
        String file = env.get("JURUNC_CONFIG");
        return load(file == null || file.isEmpty() ? DEFAULT_PATH : Path.of(file));
    }

    public static JuruncConfig load(Path file) throws ConfigException {
        if (!Files.exists(file)) return defaults();
        JsonNode root;
        try {
            root = new TomlMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(
                    file + ": " + e.getMessage().lines().findFirst().orElse("unreadable"), e);
        }
        JuruncConfig d = defaults();
        JsonNode log = root.path("log");
        JsonNode ts = root.path("timestamps");
        JsonNode rt = root.path("runtime");
        String accel = text(rt, "accel", d.accel());
        if (!accel.equals("auto") && !accel.equals("kvm") && !accel.equals("tcg")) {
            throw new ConfigException(file + ": [runtime] accel = '" + accel + "' must be auto, kvm or tcg");
        }
        Map<MonitorType, MonitorSettings> monitors = new HashMap<>();
        JsonNode mons = root.path("monitors");
        for (Iterator<Map.Entry<String, JsonNode>> it = mons.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            MonitorType type;
            try {
                type = MonitorType.parse(e.getKey());
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(file + ": [monitors." + e.getKey() + "]: " + ex.getMessage());
            }
            JsonNode n = e.getValue();
            long mem = n.path("default_memory_mb").asLong(256);
            int cpus = n.path("default_vcpus").asInt(1);
            if (mem <= 0 || cpus <= 0) {
                throw new ConfigException(
                        file + ": [monitors." + e.getKey() + "] default_memory_mb and default_vcpus must be positive");
            }
            monitors.put(
                    type,
                    new MonitorSettings(
                            optPath(n, "path"),
                            mem,
                            cpus,
                            optPath(n, "data_path"),
                            n.path("vhost").asBoolean(false)));
        }
        String agent = text(root.path("vaccel"), "agent_address", "");
        return new JuruncConfig(
                text(log, "level", d.logLevel()),
                ts.path("enabled").asBoolean(false),
                Path.of(text(ts, "destination", d.timestampsDestination().toString())),
                text(rt, "runc", d.runc()),
                accel,
                Path.of(text(rt, "kit", d.kitDir().toString())),
                rt.path("max_memory_mb").asLong(0),
                rt.path("debug_guest").asBoolean(false),
                monitors,
                agent.isEmpty() ? Optional.empty() : Optional.of(agent),
                sandbox(file, root.path("sandbox")));
    }

    private static SandboxSettings sandbox(Path file, JsonNode n) throws ConfigException {
        SandboxSettings d = SandboxSettings.defaults();
        List<Path> readOnly = new ArrayList<>();
        for (JsonNode p : n.path("read_only")) readOnly.add(Path.of(p.asText()));
        List<Path> readWrite = new ArrayList<>();
        for (JsonNode p : n.path("read_write")) readWrite.add(Path.of(p.asText()));
        try {
            return new SandboxSettings(
                    optPath(n, "helper"),
                    n.path("uid_base").asInt(d.uidBase()),
                    n.path("uid_count").asInt(d.uidCount()),
                    Path.of(text(n, "ids_dir", d.idsDir().toString())),
                    n.path("monitor_overhead_mb").asLong(d.monitorOverheadMb()),
                    readOnly,
                    readWrite);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String field, String dflt) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? dflt : v.asText();
    }

    private static Optional<Path> optPath(JsonNode n, String field) {
        String v = text(n, field, "");
        return v.isEmpty() ? Optional.empty() : Optional.of(Path.of(v));
    }
}
