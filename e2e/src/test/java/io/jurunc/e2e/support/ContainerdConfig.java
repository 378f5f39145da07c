package io.jurunc.e2e.support;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The private containerd's config (version 2 TOML, containerd 1.6). Everything it writes lives under
 * {@code dir}: root, state, the gRPC and ttrpc sockets, the opt plugin's path and CRI's netns mounts.
 *
 * @param dir           the instance's private directory (must be short: socket paths are limited to 107 bytes)
 * @param sandboxImage  CRI's pause image reference
 * @param cniConfDir    CRI's CNI config directory (ctr --cni does not read it; see {@link CniNetwork})
 * @param cniBinDir     CRI's CNI plugin directory
 * @param extraToml     appended verbatim, e.g. extra CRI runtimes; must not reopen a table written here
 */
public record ContainerdConfig(Path dir, String sandboxImage, Path cniConfDir, Path cniBinDir, String extraToml) {

    /** Plugins the tests never use; disabling them keeps the start quick and the log quiet. */
    public static final List<String> DISABLED_PLUGINS = List.of(
            "io.containerd.snapshotter.v1.aufs",
            "io.containerd.snapshotter.v1.btrfs",
            "io.containerd.snapshotter.v1.devmapper",
            "io.containerd.snapshotter.v1.zfs",
            "io.containerd.internal.v1.tracing",
            "io.containerd.tracing.processor.v1.otlp");

    public static final String DEFAULT_SANDBOX_IMAGE = "registry.k8s.io/pause:3.6";

    public ContainerdConfig {
        Objects.requireNonNull(dir, "dir");
        if (!dir.isAbsolute()) {
            throw new IllegalArgumentException("containerd dir must be absolute: " + dir);
        }
        if (grpcAddress(dir).toString().length() > 100) {
            throw new IllegalArgumentException("containerd dir too long for a unix socket path: " + dir);
        }
        Objects.requireNonNull(sandboxImage, "sandboxImage");
        Objects.requireNonNull(cniConfDir, "cniConfDir");
        Objects.requireNonNull(cniBinDir, "cniBinDir");
        Objects.requireNonNull(extraToml, "extraToml");
    }

    public static ContainerdConfig defaults(Path dir) {
        return new ContainerdConfig(dir, DEFAULT_SANDBOX_IMAGE, dir.resolve("cni/net.d"), Path.of("/opt/cni/bin"), "");
    }

    public ContainerdConfig withSandboxImage(String image) {
        return new ContainerdConfig(dir, image, cniConfDir, cniBinDir, extraToml);
    }

    public ContainerdConfig withCni(Path confDir, Path binDir) {
        return new ContainerdConfig(dir, sandboxImage, confDir, binDir, extraToml);
    }

    public ContainerdConfig withExtraToml(String toml) {
        return new ContainerdConfig(dir, sandboxImage, cniConfDir, cniBinDir, extraToml + "\n" + toml);
    }

    public Path root() {
        return dir.resolve("root");
    }

    public Path state() {
        return dir.resolve("state");
    }

    public Path grpcAddress() {
        return grpcAddress(dir);
    }

    public Path ttrpcAddress() {
        return dir.resolve("containerd.sock.ttrpc");
    }

    public Path configFile() {
        return dir.resolve("config.toml");
    }

    private static Path grpcAddress(Path dir) {
        return dir.resolve("containerd.sock");
    }

    public String toToml() {
        StringBuilder t = new StringBuilder();
        t.append("version = 2\n");
        t.append("root = ").append(q(root())).append('\n');
        t.append("state = ").append(q(state())).append('\n');
        t.append("disabled_plugins = [")
                .append(String.join(
                        ", ", DISABLED_PLUGINS.stream().map(ContainerdConfig::q).toList()))
                .append("]\n\n");
        t.append("[grpc]\n  address = ").append(q(grpcAddress())).append('\n');
        t.append("[ttrpc]\n  address = ").append(q(ttrpcAddress())).append('\n');
        t.append("[debug]\n  address = \"\"\n  level = \"info\"\n");
        t.append("[metrics]\n  address = \"\"\n\n");
        t.append("[plugins]\n");
        t.append("  [plugins.\"io.containerd.internal.v1.opt\"]\n    path = ")
                .append(q(dir.resolve("opt")))
                .append('\n');
        t.append("  [plugins.\"io.containerd.grpc.v1.cri\"]\n");
        t.append("    sandbox_image = ").append(q(sandboxImage)).append('\n');
        t.append("    netns_mounts_under_state_dir = true\n");
        t.append("    disable_tcp_service = true\n");
        t.append("    stream_server_address = \"127.0.0.1\"\n    stream_server_port = \"0\"\n");
        t.append("    [plugins.\"io.containerd.grpc.v1.cri\".cni]\n");
        t.append("      bin_dir = ").append(q(cniBinDir)).append('\n');
        t.append("      conf_dir = ").append(q(cniConfDir)).append('\n');
        t.append(extraToml).append('\n');
        return t.toString();
    }

    static String q(Object value) {
        String s = value.toString();
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
