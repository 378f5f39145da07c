package io.jurunc.builder.containerfile;

import io.jurunc.builder.BuildFileException;
import io.jurunc.builder.InputException;
import io.jurunc.builder.Location;
import io.jurunc.builder.image.ImageReference;
import io.jurunc.builder.image.KernelArch;
import io.jurunc.builder.image.Platform;
import io.jurunc.builder.plan.BaseImage;
import io.jurunc.builder.plan.BaseImageResolver;
import io.jurunc.builder.plan.ConfigChanges;
import io.jurunc.builder.plan.ContextCopier;
import io.jurunc.builder.plan.FileEntry;
import io.jurunc.builder.plan.ImagePaths;
import io.jurunc.builder.plan.ImagePlan;
import io.jurunc.builder.plan.ImageTree;
import io.jurunc.builder.plan.LayerSpec;
import io.jurunc.builder.urunc.UruncMetadata;
import io.jurunc.urunc.UruncKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Turns a parsed Containerfile into an {@link ImagePlan} for one platform: expands ARG/ENV
 * variables, resolves COPY/ADD against the context, collects config changes and labels, validates
 * the urunc metadata, checks the kernel exists and matches the platform, and adds {@code /urunc.json}.
 */
public final class ContainerfilePlanner {
    /** Where the kernel goes when {@code --kernel} adds one (bunny's default path). */
    public static final String DEFAULT_KERNEL_PATH = "/.boot/kernel";

    /**
     * @param platform  the requested platform, or null to detect it (kernel, then base, then host)
     * @param kernel    a host kernel file to add at {@value #DEFAULT_KERNEL_PATH}, or null
     */
    public record Options(Path context, Path scratch, Platform platform, Map<String, String> buildArgs, Path kernel) {
        public Options {
            buildArgs = buildArgs == null ? Map.of() : Map.copyOf(buildArgs);
        }
    }

    private final Containerfile file;
    private final Options options;
    private final BaseImageResolver resolver;

    private final Map<String, String> args = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, Location> labelLines = new HashMap<>();
    private final List<LayerSpec> layers = new ArrayList<>();
    private final List<String> exposed = new ArrayList<>();
    private final ImageTree tree = new ImageTree();
    private List<String> cmd;
    private List<String> entrypoint;
    private boolean resetCmd;
    private String workdir;
    private String user;

    private ContainerfilePlanner(Containerfile file, Options options, BaseImageResolver resolver) {
        this.file = file;
        this.options = options;
        this.resolver = resolver;
    }

    public static ImagePlan plan(Containerfile file, Options options, BaseImageResolver resolver) {
        return new ContainerfilePlanner(file, options, resolver).run();
    }

    private ImagePlan run() {
        Platform target = options.platform() != null ? options.platform() : Platform.host();
        Map<String, String> globals = new LinkedHashMap<>();
        Map<String, String> automatic = automaticArgs(target);
        Instruction.From from = null;
        ContextCopier copier = new ContextCopier(options.context(), options.scratch());
        for (Instruction ins : file.instructions()) {
            if (from == null) {
                switch (ins) {
                    case Instruction.Arg a -> globals.put(a.name(), argValue(a, globals::get, automatic));
                    case Instruction.From f -> from = f;
                    default ->
                        throw new BuildFileException(
                                ins.location(),
                                "instruction before FROM",
                                "start the file with FROM (only ARG may come before it)");
                }
                continue;
            }
            UnaryOperator<String> vars = this::lookup;
            switch (ins) {
                case Instruction.From f ->
                    throw new BuildFileException(
                            f.location(),
                            "a second FROM: multi-stage builds are not supported",
                            "build the earlier stage's files beforehand and COPY them in");
                case Instruction.Arg a -> args.put(a.name(), argValue(a, globals::get, automatic));
                case Instruction.Env e ->
                    pairs(e.location(), "ENV", e.rawArguments(), vars, false).forEach((k, v) -> {
                        env.put(k, v);
                    });
                case Instruction.Label l ->
                    pairs(l.location(), "LABEL", l.rawArguments(), vars, true).forEach((k, v) -> {
                        labels.put(k, v);
                        labelLines.put(k, l.location());
                    });
                case Instruction.Copy c -> copy(c, copier);
                case Instruction.Command c -> {
                    if (c.entrypoint()) {
                        entrypoint = c.arguments();
                        if (cmd == null) {
                            resetCmd = true;
                        }
                    } else {
                        cmd = c.arguments();
                        resetCmd = false;
                    }
                }
                case Instruction.Workdir w -> {
                    workdir = ImagePaths.absolute(workdir == null ? "/" : workdir, expand(w.location(), w.rawPath()));
                    String rel = ImagePaths.relative(workdir);
                    if (!rel.isEmpty() && !tree.isDirectory(rel)) {
                        List<FileEntry> dir = List.of(FileEntry.directory(rel, 0755));
                        layers.add(new LayerSpec(dir, "WORKDIR " + workdir));
                        tree.add(dir);
                    }
                }
                case Instruction.User u -> user = expand(u.location(), u.rawUser());
                case Instruction.Expose x -> {
                    for (String p : words(x.location(), x.rawPorts())) {
                        if (!p.matches("\\d{1,5}(-\\d{1,5})?(/(tcp|udp|sctp))?")) {
                            throw new BuildFileException(
                                    x.location(), "bad port \"" + p + "\"", "write EXPOSE 8080 or 8080/udp");
                        }
                        exposed.add(p.contains("/") ? p : p + "/tcp");
                    }
                }
            }
        }
        if (from == null) {
            throw new BuildFileException(
                    new Location(file.file(), 1),
                    "no FROM instruction",
                    "start the file with FROM scratch or FROM IMAGE");
        }
        String image = expandWith(
                from.location(), from.image(), n -> globals.containsKey(n) ? globals.get(n) : automatic.get(n));
        BaseImage base;
        if (image.equals("scratch")) {
            base = BaseImage.scratch();
        } else {
            try {
                base = new BaseImage.Remote(ImageReference.parse(image));
            } catch (IllegalArgumentException e) {
                throw new BuildFileException(
                        from.location(),
                        "bad image reference: " + e.getMessage(),
                        "write FROM scratch or FROM [REGISTRY/]NAME[:TAG]");
            }
        }
        if (options.kernel() != null) {
            addKernel();
        }
        Location uruncAt = labelLines.entrySet().stream()
                .filter(e -> e.getKey().startsWith(UruncKeys.PREFIX))
                .map(Map.Entry::getValue)
                .min((a, b) -> Integer.compare(a.line(), b.line()))
                .orElse(from.location());
        Optional<UruncMetadata> urunc = UruncMetadata.from(labels, k -> labelLines.getOrDefault(k, uruncAt), uruncAt);

        Platform platform = options.platform();
        if (platform == null && from.platform() != null) {
            platform = parsePlatform(from.location(), expandWith(from.location(), from.platform(), automatic::get));
        }
        BaseImageResolver.BaseView baseView = null;
        if (urunc.isPresent() && urunc.get().get(UruncKeys.BINARY).isPresent()) {
            String binary = urunc.get().get(UruncKeys.BINARY).get();
            Location at = labelLines.getOrDefault(UruncKeys.BINARY, uruncAt);
            Optional<String> arch;
            Optional<FileEntry> own = tree.get(binary);
            if (own.isPresent()) {
                arch = detect(own.get(), at, binary);
            } else if (base instanceof BaseImage.Remote r) {
                baseView = resolver.resolve(r.reference(), platform);
                try (InputStream in =
                        baseView.open(ImagePaths.absolute("/", binary)).orElseThrow(() -> missingKernel(at, binary))) {
                    arch = KernelArch.detect(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                throw missingKernel(at, binary);
            }
            if (arch.isPresent() && platform != null && !platform.architecture().equals(arch.get())) {
                throw new BuildFileException(
                        at,
                        "kernel " + binary + " is an " + arch.get() + " binary but the platform is " + platform,
                        "build with --platform linux/" + arch.get() + " or copy the " + platform.architecture()
                                + " kernel");
            }
            if (platform == null && arch.isPresent()) {
                platform = Platform.linux(arch.get());
            }
        }
        if (platform == null && base instanceof BaseImage.Remote r) {
            baseView = baseView != null ? baseView : resolver.resolve(r.reference(), null);
            platform = baseView.platform();
        }
        if (platform == null
                && (urunc.map(m -> "wasm".equals(m.values().get(UruncKeys.TYPE)))
                                .orElse(false)
                        || isWasmVariant(labels.get("module.wasm.image/variant")))) {
            platform = new Platform("wasi", "wasm", null); // the WASM OCI convention (docs/wasm.md)
        }
        if (platform == null) {
            platform = Platform.host();
        }
        Map<String, String> finalLabels = new LinkedHashMap<>(labels);
        urunc.ifPresent(m -> finalLabels.putAll(m.values()));
        if (urunc.isPresent()) {
            layers.add(new LayerSpec(
                    List.of(FileEntry.bytes("urunc.json", urunc.get().uruncJson(), 0644)),
                    "jurunc build: /urunc.json"));
            if (cmd == null && entrypoint == null) {
                urunc.get()
                        .get(UruncKeys.CMDLINE)
                        .ifPresent(c -> cmd = Arrays.stream(c.split(" "))
                                .filter(s -> !s.isEmpty())
                                .toList());
            }
        }
        ConfigChanges config = new ConfigChanges(env, cmd, entrypoint, resetCmd, workdir, user, finalLabels, exposed);
        return new ImagePlan(platform, base, layers, config, finalLabels);
    }

    private void addKernel() {
        Path k = options.kernel();
        if (!Files.isRegularFile(k)) {
            throw new InputException(
                    "kernel " + k + " is not a readable file", "pass an existing kernel file to --kernel");
        }
        List<FileEntry> e = List.of(FileEntry.file(ImagePaths.relative(DEFAULT_KERNEL_PATH), k, 0644));
        layers.add(new LayerSpec(e, "jurunc build --kernel " + DEFAULT_KERNEL_PATH));
        tree.add(e);
        labels.putIfAbsent(UruncKeys.BINARY, DEFAULT_KERNEL_PATH);
    }

    private static BuildFileException missingKernel(Location at, String binary) {
        return new BuildFileException(
                at,
                "kernel " + binary + " named by " + UruncKeys.BINARY + " is not in the image",
                "COPY the kernel to that path or fix the label");
    }

    private Optional<String> detect(FileEntry e, Location at, String binary) {
        if (!e.isRegular()) {
            throw new BuildFileException(
                    at,
                    "kernel " + binary + " is not a regular file in the image",
                    "point the label at the kernel file");
        }
        try {
            return switch (e.content()) {
                case FileEntry.Content.OnDisk d -> {
                    try (InputStream in = java.nio.channels.Channels.newInputStream(d.open())) {
                        yield KernelArch.detect(in);
                    }
                }
                case FileEntry.Content.InMemory m -> KernelArch.detect(m.bytes());
                case FileEntry.Content.Empty x -> Optional.empty();
            };
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void copy(Instruction.Copy c, ContextCopier copier) {
        String kw = c.add() ? "ADD" : "COPY";
        List<String> sources = new ArrayList<>();
        for (String s : c.sources()) {
            sources.add(expand(c.location(), s));
        }
        String rawDest = expand(c.location(), c.destination());
        String dest = ImagePaths.absolute(workdir == null ? "/" : workdir, rawDest);
        if ((rawDest.endsWith("/") || rawDest.endsWith("/.")) && !dest.equals("/")) {
            dest = dest + "/";
        }
        Integer chmod = null;
        if (c.chmod() != null) {
            if (!c.chmod().matches("[0-7]{3,4}")) {
                throw new BuildFileException(
                        c.location(), "bad --chmod \"" + c.chmod() + "\"", "give an octal mode such as 0755");
            }
            chmod = Integer.parseInt(c.chmod(), 8);
        }
        int uid = 0;
        int gid = 0;
        if (c.chown() != null) {
            String[] ug = expand(c.location(), c.chown()).split(":", 2);
            uid = owner(c.location(), ug[0]);
            gid = ug.length > 1 ? owner(c.location(), ug[1]) : uid;
        }
        List<FileEntry> entries =
                copier.copy(new ContextCopier.Request(c.location(), kw, sources, dest, chmod, uid, gid, c.add()), tree);
        tree.add(entries);
        layers.add(new LayerSpec(entries, kw + " " + String.join(" ", sources) + " " + dest));
    }

    private static int owner(Location loc, String s) {
        if (s.equals("root")) {
            return 0;
        }
        if (!s.matches("\\d{1,9}")) {
            throw new BuildFileException(
                    loc,
                    "--chown \"" + s + "\" is not numeric",
                    "use numeric ids, e.g. --chown=1000:1000 (there is no /etc/passwd to look names up in)");
        }
        return Integer.parseInt(s);
    }

    private String lookup(String name) {
        if (env.containsKey(name)) {
            return env.get(name);
        }
        return args.get(name);
    }

    private String argValue(Instruction.Arg a, UnaryOperator<String> scope, Map<String, String> automatic) {
        if (options.buildArgs().containsKey(a.name())) {
            return options.buildArgs().get(a.name());
        }
        if (a.defaultValue() != null) {
            return expandWith(a.location(), a.defaultValue(), n -> {
                String v = lookup(n);
                return v != null ? v : scope.apply(n);
            });
        }
        String v = scope.apply(a.name());
        return v != null ? v : automatic.get(a.name());
    }

    private static Map<String, String> automaticArgs(Platform p) {
        Map<String, String> m = new HashMap<>();
        m.put("TARGETPLATFORM", p.toString());
        m.put("TARGETOS", p.os());
        m.put("TARGETARCH", p.architecture());
        m.put("TARGETVARIANT", p.variant() == null ? "" : p.variant());
        Platform h = Platform.host();
        m.put("BUILDPLATFORM", h.toString());
        m.put("BUILDOS", h.os());
        m.put("BUILDARCH", h.architecture());
        return m;
    }

    private String expand(Location loc, String raw) {
        return expandWith(loc, raw, this::lookup);
    }

    private static String expandWith(Location loc, String raw, UnaryOperator<String> vars) {
        try {
            return ShellWords.word(raw, vars);
        } catch (ShellWords.SyntaxError e) {
            throw new BuildFileException(loc, e.getMessage(), "fix the quoting or the ${...} expression");
        }
    }

    private List<String> words(Location loc, String raw) {
        try {
            return ShellWords.split(raw, this::lookup);
        } catch (ShellWords.SyntaxError e) {
            throw new BuildFileException(loc, e.getMessage(), "fix the quoting or the ${...} expression");
        }
    }

    private static Platform parsePlatform(Location loc, String text) {
        try {
            return Platform.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BuildFileException(loc, e.getMessage(), "write --platform=linux/amd64");
        }
    }

    /**
     * Parses {@code name=value} pairs (Docker), the legacy {@code name value} form, and, for LABEL,
     * bima's form where an unquoted value runs to the end of the line ({@code LABEL k=a b c}).
     */
    private Map<String, String> pairs(Location loc, String kw, String raw, UnaryOperator<String> vars, boolean label) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> rawWords;
        try {
            rawWords = ShellWords.rawWords(raw);
        } catch (ShellWords.SyntaxError e) {
            throw new BuildFileException(loc, "malformed " + kw + ": " + e.getMessage(), "close the quote");
        }
        String first = rawWords.getFirst();
        if (!first.contains("=")) {
            if (rawWords.size() < 2) {
                throw new BuildFileException(
                        loc, "malformed " + kw + " \"" + raw + "\": no value", "write " + kw + " key=value");
            }
            String rest = raw.strip().substring(first.length()).strip();
            String value;
            try {
                value = String.join(" ", ShellWords.split(rest, vars));
            } catch (ShellWords.SyntaxError e) {
                throw new BuildFileException(loc, "malformed " + kw + ": " + e.getMessage(), "close the quote");
            }
            out.put(key(loc, kw, expandWith(loc, first, vars)), value);
            return out;
        }
        boolean allPairs = rawWords.stream().allMatch(w -> w.contains("=") && !w.startsWith("="));
        if (!allPairs) {
            if (!label) {
                throw new BuildFileException(
                        loc,
                        "malformed ENV \"" + raw + "\": every word needs name=value",
                        "quote values that contain spaces");
            }
            // bima: one pair per LABEL, split on the first '=', quotes trimmed from both ends
            int eq = raw.indexOf('=');
            String k = trimQuotes(raw.substring(0, eq).strip());
            String v = trimQuotes(raw.substring(eq + 1).strip());
            out.put(key(loc, kw, k), v);
            return out;
        }
        for (String w : rawWords) {
            int eq = w.indexOf('=');
            out.put(
                    key(loc, kw, expandWith(loc, w.substring(0, eq), vars)),
                    expandWith(loc, w.substring(eq + 1), vars));
        }
        return out;
    }

    private static String trimQuotes(String s) {
        String t = s;
        while (t.length() >= 1 && (t.startsWith("\"") || t.startsWith("'") || t.startsWith("\\"))) {
            t = t.substring(1);
        }
        while (t.length() >= 1 && (t.endsWith("\"") || t.endsWith("'") || t.endsWith("\\"))) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    private static String key(Location loc, String kw, String k) {
        if (k.isBlank()) {
            throw new BuildFileException(loc, "malformed " + kw + ": empty key", "write " + kw + " key=value");
        }
        if (kw.equals("ENV") && !k.matches("[^=\\s]+")) {
            throw new BuildFileException(loc, "bad ENV name \"" + k + "\"", "use a name without spaces or '='");
        }
        return k;
    }

    /** Set.of(...).contains(null) throws, and most images have no such label. */
    private static boolean isWasmVariant(String variant) {
        return "compat".equals(variant) || "compat-smart".equals(variant);
    }
}
