package io.jurunc.builder.bunnyfile;

import io.jurunc.builder.BuildFileException;
import io.jurunc.builder.Location;
import io.jurunc.urunc.UruncVocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and validates a bunnyfile (v0.1) with bunny's rules and messages, each prefixed with
 * FILE:LINE and followed by what to do. Unknown keys are ignored, as bunny does.
 */
public final class BunnyfileParser {
    private static final Pattern SYNTAX = Pattern.compile("#\\s*syntax\\s*=\\s*(\\S*)\\s*");
    private static final Pattern VERSION = Pattern.compile("v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    private final Path file;

    private BunnyfileParser(Path file) {
        this.file = file;
    }

    public static Bunnyfile parse(Path file, String text) {
        return new BunnyfileParser(file).run(text);
    }

    private Location at(int line) {
        return new Location(file, Math.max(line, 1));
    }

    private BuildFileException error(int line, String problem, String fix) {
        return new BuildFileException(at(line), problem, fix);
    }

    private Bunnyfile run(String text) {
        String syntax = null;
        String first = text.lines().findFirst().orElse("").strip();
        Matcher sm = SYNTAX.matcher(first);
        if (sm.matches()) {
            syntax = sm.group(1);
            if (syntax.isEmpty()) {
                throw error(
                        1,
                        "the #syntax= line names no frontend",
                        "write #syntax=harbor.nbfc.io/nubificus/bunny:latest or remove the line");
            }
        }
        YamlNode root;
        try {
            root = YamlNode.parse(text);
        } catch (IOException e) {
            int line = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? j.getLocation().getLineNr()
                    : 1;
            String msg = e.getMessage().split("\n")[0];
            throw error(line, "invalid format of input file: " + msg, "fix the YAML (a bunnyfile is a YAML mapping)");
        }
        if (root == null) {
            throw error(1, "The version field is necessary", "add version: v0.1");
        }
        if (!(root instanceof YamlNode.Mapping m)) {
            throw error(
                    root.line(),
                    "invalid format of input file: the top level is not a mapping",
                    "write version:, platforms:, kernel: ... as keys");
        }
        String version = scalar(m, "version");
        if (version == null) {
            throw error(1, "The version field is necessary", "add version: v0.1");
        }
        int vline = m.keyLines().get("version");
        Matcher vm = VERSION.matcher(version.strip());
        if (!vm.matches()) {
            throw error(vline, "Could not parse version in user bunnyfile: \"" + version + "\"", "write version: v0.1");
        }
        int major = versionPart(vm.group(1));
        int minor = versionPart(vm.group(2));
        int patch = versionPart(vm.group(3));
        if (major > 0 || minor > 1 || (minor == 1 && patch > 0)) {
            throw error(
                    vline, "Unsupported version " + version + ". Please use v0.1 or earlier", "write version: v0.1");
        }
        YamlNode.Mapping pm = mapping(m, "platforms");
        int pline = pm == null ? 1 : m.keyLines().get("platforms");
        String framework = pm == null ? null : scalar(pm, "framework");
        if (framework == null || framework.isBlank()) {
            throw error(
                    pline,
                    "The framework field of platforms is necessary",
                    "add platforms: framework: "
                            + String.join("|", UruncVocabulary.installed().guests()));
        }
        String monitor = scalar(pm, "monitor");
        if (monitor == null || monitor.isBlank()) {
            throw error(
                    pline,
                    "The monitor field of platforms is necessary",
                    "add platforms: monitor: "
                            + String.join("|", UruncVocabulary.installed().monitors()));
        }
        var platforms = new Bunnyfile.Platforms(
                framework, scalar(pm, "version"), monitor, scalar(pm, "architecture"), at(pline));

        YamlNode.Mapping km = mapping(m, "kernel");
        int kline = km == null ? 1 : m.keyLines().get("kernel");
        String kfrom = km == null ? null : scalar(km, "from");
        if (kfrom == null || kfrom.isBlank()) {
            throw error(
                    kline, "The from field of kernel is necessary", "add kernel: from: local (or an image reference)");
        }
        String kpath = scalar(km, "path");
        if (kpath == null || kpath.isBlank()) {
            throw error(kline, "The path field of kernel is necessary", "add kernel: path: <kernel file>");
        }
        var kernel = new Bunnyfile.Kernel(kfrom, kpath, at(km.keyLines().getOrDefault("path", kline)));

        Bunnyfile.Rootfs rootfs = null;
        YamlNode.Mapping rm = mapping(m, "rootfs");
        if (rm != null) {
            rootfs = rootfs(rm, m.keyLines().get("rootfs"));
        }
        List<String> cmd = strings(m, "cmd");
        if (cmd.isEmpty()) {
            String cmdline = scalar(m, "cmdline");
            if (cmdline != null && !cmdline.isBlank()) {
                cmd = Arrays.stream(cmdline.split(" "))
                        .filter(s -> !s.isEmpty())
                        .toList();
            }
        }
        return new Bunnyfile(
                syntax, version, platforms, rootfs, kernel, cmd, strings(m, "entrypoint"), strings(m, "envs"), at(1));
    }

    private Bunnyfile.Rootfs rootfs(YamlNode.Mapping rm, int line) {
        String from = scalar(rm, "from");
        from = from == null || from.isBlank() ? "scratch" : from;
        String path = scalar(rm, "path");
        String type = scalar(rm, "type");
        String fs = scalar(rm, "fs");
        if (type != null && !List.of("initrd", "raw", "block").contains(type)) {
            throw error(rm.keyLines().get("type"), "unknown rootfs type \"" + type + "\"", "use initrd, raw or block");
        }
        if (fs != null && !List.of("ext4", "erofs").contains(fs)) {
            throw error(rm.keyLines().get("fs"), "unknown block file system \"" + fs + "\"", "use ext4 or erofs");
        }
        List<Bunnyfile.Include> includes = new ArrayList<>();
        YamlNode inc = rm.entries().get("include");
        if (inc instanceof YamlNode.Sequence s) {
            for (YamlNode item : s.items()) {
                includes.add(include(item));
            }
        } else if (inc != null && !(inc instanceof YamlNode.Scalar sc && sc.value() == null)) {
            throw error(inc.line(), "include must be a list", "write include: [\"src:dst\", ...]");
        }
        boolean hasPath = path != null && !path.isBlank();
        if (Bunnyfile.isScratch(from) && hasPath) {
            throw error(
                    line,
                    "The from field of rootfs can not be empty or scratch, if path is set",
                    "set rootfs from: local (or an image) or remove path");
        }
        if (hasPath && "raw".equals(type)) {
            throw error(
                    line,
                    "The path field in rootfs can not be combined with a raw rootfs",
                    "remove path, or choose type initrd or block");
        }
        if (Bunnyfile.isLocal(from) && "raw".equals(type)) {
            throw error(
                    line,
                    "If type of rootfs is raw, then from can not be local",
                    "use from: scratch with include entries, or an image");
        }
        if (!includes.isEmpty() && Bunnyfile.isLocal(from)) {
            throw error(
                    line,
                    "Invalid combination of includes and from fields",
                    "use from: scratch (or an image with type raw) with include");
        }
        if (!includes.isEmpty() && !Bunnyfile.isScratch(from) && !Bunnyfile.isLocal(from) && !"raw".equals(type)) {
            throw error(
                    line,
                    "Adding files to an existing non-raw rootfs is not yet supported",
                    "set type: raw, or drop include");
        }
        return new Bunnyfile.Rootfs(from, hasPath ? path : null, type, fs, includes, at(line));
    }

    private Bunnyfile.Include include(YamlNode item) {
        if (item instanceof YamlNode.Scalar s) {
            String v = s.value() == null ? "" : s.value();
            int c = v.indexOf(':');
            String src = c < 0 ? v : v.substring(0, c);
            String dst = c < 0 ? "" : v.substring(c + 1);
            if (src.isEmpty()) {
                throw error(s.line(), "include entry \"" + v + "\" has an empty source", "write src:dst");
            }
            return new Bunnyfile.Include("local", src, dst.isEmpty() ? src : dst, at(s.line()));
        }
        if (item instanceof YamlNode.Mapping m) {
            String source = scalar(m, "source");
            String dest = scalar(m, "destination");
            if (source == null || source.isBlank()) {
                throw error(m.line(), "include entry has no source", "add source: <path>");
            }
            if (dest == null || dest.isBlank()) {
                throw error(m.line(), "include entry has no destination", "add destination: <path in the image>");
            }
            String from = scalar(m, "from");
            return new Bunnyfile.Include(from == null || from.isBlank() ? "local" : from, source, dest, at(m.line()));
        }
        throw error(
                item.line(),
                "include entries must be \"src:dst\" strings or mappings",
                "write - src:dst or - {source: a, destination: b}");
    }

    private String scalar(YamlNode.Mapping m, String key) {
        YamlNode n = m.entries().get(key);
        if (n == null) {
            return null;
        }
        if (!(n instanceof YamlNode.Scalar s)) {
            throw error(n.line(), key + " must be a single value", "write " + key + ": VALUE");
        }
        return s.value();
    }

    private YamlNode.Mapping mapping(YamlNode.Mapping m, String key) {
        YamlNode n = m.entries().get(key);
        if (n == null || (n instanceof YamlNode.Scalar s && s.value() == null)) {
            return null;
        }
        if (!(n instanceof YamlNode.Mapping mm)) {
            throw error(n.line(), key + " must be a mapping", "indent its fields under " + key + ":");
        }
        return mm;
    }

    private List<String> strings(YamlNode.Mapping m, String key) {
        YamlNode n = m.entries().get(key);
        if (n == null || (n instanceof YamlNode.Scalar s && s.value() == null)) {
            return List.of();
        }
        if (!(n instanceof YamlNode.Sequence seq)) {
            throw error(n.line(), key + " must be a list of strings", "write " + key + ": [\"a\", \"b\"]");
        }
        List<String> out = new ArrayList<>();
        for (YamlNode i : seq.items()) {
            if (!(i instanceof YamlNode.Scalar s) || s.value() == null) {
                throw error(i.line(), key + " must be a list of strings", "write " + key + ": [\"a\", \"b\"]");
            }
            out.add(s.value());
        }
        return out;
    }

    /** A version component; one too long for an int is simply a (too) large version. */
    private static int versionPart(String digits) {
        if (digits == null) {
            return 0;
        }
        String d = digits.replaceFirst("^0+(?=.)", "");
        return d.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(d);
    }
}
