package io.jurunc.shim.install;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runtime block jurunc owns in containerd's config: the CRI runtime {@code <handler>} with
 * {@code runtime_type = "io.containerd.jurunc.v2"} and the {@code com.urunc.unikernel.*} annotation
 * pass-through. The block sits between marker comments so that it can be replaced or removed again.
 *
 * @param configVersion containerd's config schema: 2 (containerd 1.x) or 3 (containerd 2.x)
 */
public record ContainerdRuntimeConfig(String handler, int configVersion) {
    public static final String RUNTIME_TYPE = "io.containerd.jurunc.v2";
    public static final String ANNOTATIONS = "com.urunc.unikernel.*";
    static final String BEGIN = "# BEGIN jurunc runtime (managed by `jurunc install containerd`; do not edit)";
    static final String END = "# END jurunc runtime";
    private static final Pattern HANDLER = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern VERSION = Pattern.compile("(?m)^\\s*version\\s*=\\s*(\\d+)\\s*$");

    public ContainerdRuntimeConfig {
        Objects.requireNonNull(handler, "handler");
        if (!HANDLER.matcher(handler).matches()) {
            throw new IllegalArgumentException("runtime handler '" + handler + "' must match " + HANDLER.pattern());
        }
        if (configVersion != 2 && configVersion != 3) {
            throw new IllegalArgumentException("containerd config version " + configVersion + " is not 2 or 3");
        }
    }

    /** The schema version a config file declares (version 1 files and files without one are refused/2). */
    static int declaredVersion(String toml) throws InstallException {
        Matcher m = VERSION.matcher(toml);
        if (!m.find()) {
            return 2;
        }
        int v = Integer.parseInt(m.group(1));
        if (v < 2) {
            throw new InstallException("containerd config version " + v
                    + " is not supported; migrate it with `containerd config migrate` first");
        }
        return Math.min(v, 3);
    }

    /** The TOML table name of the runtime. */
    public String table() {
        return configVersion == 2
                ? "plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes." + handler
                : "plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes." + handler;
    }

    /** The table of the runc runtime, which containerd's CRI uses by default. */
    String runcTable() {
        return table().substring(0, table().length() - handler.length()) + "runc";
    }

    /**
     * Our block. Defining any {@code containerd.runtimes.*} table replaces containerd's built-in runtime map,
     * which then lacks the default {@code runc} ("no corresponding runtime configured"); so unless the
     * config defines runc itself, the block defines it too, as containerd's default does.
     */
    public String block(boolean withRunc) {
        String list = "[\"" + ANNOTATIONS + "\"]";
        List<String> lines = new java.util.ArrayList<>(List.of(
                BEGIN,
                "[" + table() + "]",
                "  runtime_type = \"" + RUNTIME_TYPE + "\"",
                "  container_annotations = " + list,
                "  pod_annotations = " + list));
        if (withRunc) {
            lines.addAll(List.of("[" + runcTable() + "]", "  runtime_type = \"io.containerd.runc.v2\""));
        }
        lines.add(END);
        return String.join("\n", lines) + "\n";
    }

    /** {@code toml} with our block replaced or appended. */
    String installInto(String toml) throws InstallException {
        String without = removeFrom(toml);
        if (without.contains("[" + table() + "]")) {
            throw new InstallException("the containerd config already defines [" + table()
                    + "] outside jurunc's managed block; remove that table (or pick another --handler) and retry");
        }
        String base = without.isEmpty() || without.endsWith("\n") ? without : without + "\n";
        return base + (base.isEmpty() || base.endsWith("\n\n") ? "" : "\n") + block(!definesRunc(without));
    }

    boolean definesRunc(String toml) {
        return toml.contains("[" + runcTable() + "]");
    }

    /** {@code toml} without our block (unchanged if there is none). */
    static String removeFrom(String toml) throws InstallException {
        int b = toml.indexOf(BEGIN);
        if (b < 0) {
            return toml;
        }
        int e = toml.indexOf(END, b);
        if (e < 0) {
            throw new InstallException("the containerd config has jurunc's BEGIN marker but no END marker;"
                    + " remove the partial block by hand");
        }
        int after = e + END.length();
        if (after < toml.length() && toml.charAt(after) == '\n') {
            after++;
        }
        String head = toml.substring(0, b);
        if (head.endsWith("\n\n")) {
            head = head.substring(0, head.length() - 1);
        }
        return head + toml.substring(after);
    }
}
