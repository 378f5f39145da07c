package io.jurunc.builder.cli;

import io.jurunc.builder.BuildException;
import io.jurunc.builder.InputException;
import io.jurunc.builder.build.BuildRequest;
import io.jurunc.builder.build.BuildResult;
import io.jurunc.builder.build.ImageBuilder;
import io.jurunc.builder.image.ImageReference;
import io.jurunc.builder.image.Platform;
import io.jurunc.builder.output.Output;
import io.jurunc.builder.registry.Credentials;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jurunc build}: builds an OCI image from a Containerfile or bunnyfile, without a daemon. */
@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        version = "jurunc build 0.1.0",
        description = "Build a reproducible OCI image for unikernels and microVMs from a Containerfile or bunnyfile.")
public final class BuildCommand implements Callable<Integer> {
    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description =
                    "Containerfile, Dockerfile or bunnyfile (default: CONTEXT/Containerfile, CONTEXT/Dockerfile, CONTEXT/bunnyfile)")
    Path file;

    @Option(
            names = {"-t", "--tag"},
            required = true,
            paramLabel = "NAME[:TAG]",
            description = "image name")
    String tag;

    @Option(
            names = {"-o", "--out", "--output"},
            paramLabel = "OUTPUT",
            description =
                    "ctr | tar | oci:DIR | oci-archive:FILE | docker-archive:FILE | docker://REF | registry | type=oci|docker|registry,... (repeatable; default ctr)")
    List<String> outputs = new ArrayList<>();

    @Option(names = "--tar", description = "same as --output tar (bima)")
    boolean tar;

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            defaultValue = "${env:CONTAINERD_NAMESPACE:-default}",
            description = "containerd namespace (env CONTAINERD_NAMESPACE)")
    String namespace;

    @Option(
            names = {"-a", "--address"},
            paramLabel = "SOCKET",
            defaultValue = "${env:CONTAINERD_ADDRESS:-/run/containerd/containerd.sock}",
            description = "containerd socket (env CONTAINERD_ADDRESS)")
    String address;

    @Option(
            names = "--snapshotter",
            paramLabel = "NAME",
            defaultValue = "${env:CONTAINERD_SNAPSHOTTER}",
            description = "snapshotter to unpack with (env CONTAINERD_SNAPSHOTTER)")
    String snapshotter;

    @Option(
            names = "--platform",
            split = ",",
            paramLabel = "OS/ARCH",
            description = "target platform(s); several make an image index (default: detected from the kernel)")
    List<String> platforms = new ArrayList<>();

    @Option(names = "--build-arg", paramLabel = "KEY=VALUE", description = "set an ARG")
    Map<String, String> buildArgs = new LinkedHashMap<>();

    @Option(
            names = "--kernel",
            paramLabel = "FILE",
            description = "add this host kernel at /.boot/kernel (sets the binary key if missing)")
    Path kernel;

    @Option(
            names = "--creds",
            paramLabel = "USER:PASSWORD",
            description =
                    "credentials for the push target registry only (visible in ps: prefer --creds-file; else JURUNC_REGISTRY_AUTH or docker's config.json)")
    String creds;

    @Option(
            names = "--creds-file",
            paramLabel = "FILE",
            description = "read USER:PASSWORD for the push target registry from FILE, or from stdin with -")
    String credsFile;

    @Option(
            names = "--compression-level",
            paramLabel = "0-9",
            defaultValue = "1",
            description = "gzip level for layers (default 1)")
    int compressionLevel;

    @Option(names = "--timings", description = "print the wall time of each build phase to stderr")
    boolean timings;

    @Option(
            names = "--timestamp",
            paramLabel = "EPOCH",
            description = "image and file time in seconds (default SOURCE_DATE_EPOCH, else 0)")
    Long timestamp;

    @Parameters(index = "0", paramLabel = "CONTEXT", description = "build context directory")
    Path context;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Function<Credentials, ImageBuilder> builders;
    private java.io.InputStream stdin = System.in;

    public BuildCommand() {
        this(ImageBuilder::standard);
    }

    /** For tests: where {@code --creds-file -} reads from. */
    BuildCommand withStdin(java.io.InputStream in) {
        this.stdin = in;
        return this;
    }

    /** For tests and embedding: choose how the builder is made. */
    public BuildCommand(Function<Credentials, ImageBuilder> builders) {
        this.builders = builders;
    }

    /**
     * {@code jurunc build ARGS} (the dist launcher runs this main for the build verb): the common
     * command lines are parsed by {@link BuildArgs}, without picocli; help, version and errors go
     * through picocli.
     */
    public static void main(String[] args) {
        System.exit(execute(
                new BuildCommand(),
                args,
                System.getenv(),
                new PrintWriter(System.out, false),
                new PrintWriter(System.err, false)));
    }

    /** Runs {@code cmd} with {@code args}: the fast parse when it takes them, else picocli. */
    static int execute(BuildCommand cmd, String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        if (BuildArgs.bind(cmd, args, env).isPresent()) {
            return cmd.run(out, err);
        }
        CommandLine cl =
                new CommandLine(new BuildCommand(cmd.builders).withStdin(cmd.stdin)).setCommandName("jurunc build");
        cl.setOut(out);
        cl.setErr(err);
        int rc = cl.execute(args);
        out.flush();
        err.flush();
        return rc;
    }

    @Override
    public Integer call() {
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    private int run(PrintWriter out, PrintWriter err) {
        long started = System.nanoTime();
        try {
            BuildResult result = builders.apply(credentials()).build(request());
            for (String w : result.written()) {
                err.println(w);
            }
            if (timings) {
                TimingsReport.print(result.timings(), System.nanoTime() - started, err);
            }
            err.flush();
            out.println(result.image().digest());
            out.flush();
            return 0;
        } catch (BuildException e) {
            err.println("jurunc build: " + e.getMessage());
            err.flush();
            return 1;
        } catch (java.io.UncheckedIOException e) {
            err.println("jurunc build: I/O error: " + e.getCause().getMessage()
                    + " \u2014 check disk space and permissions");
            err.flush();
            return 1;
        }
    }

    BuildRequest request() {
        ImageReference name;
        try {
            name = ImageReference.parse(tag);
        } catch (IllegalArgumentException e) {
            throw new InputException(
                    "invalid -t \"" + tag + "\": " + e.getMessage(), "write -t NAME[:TAG], e.g. -t demo/echo:latest");
        }
        List<String> outs = new ArrayList<>(outputs);
        if (tar) {
            outs.add("tar");
        }
        if (outs.isEmpty()) {
            outs.add("ctr");
        }
        OutputSpec.Containerd ctr = new OutputSpec.Containerd(
                address, namespace, snapshotter == null || snapshotter.isBlank() ? null : snapshotter);
        List<Output> parsed = new ArrayList<>();
        for (String o : outs) {
            parsed.add(OutputSpec.parse(o, name, ctr));
        }
        List<Platform> plats = new ArrayList<>();
        for (String p : platforms) {
            try {
                plats.add(Platform.parse(p));
            } catch (IllegalArgumentException e) {
                throw new InputException("invalid --platform: " + e.getMessage(), "write --platform linux/amd64");
            }
        }
        if (compressionLevel < 0 || compressionLevel > 9) {
            throw new InputException("--compression-level must be 0..9", "pick 1 (fast) to 9 (small)");
        }
        return new BuildRequest(
                context,
                file,
                name,
                plats,
                buildArgs,
                parsed,
                kernel,
                timestamp != null ? Instant.ofEpochSecond(timestamp) : BuildRequest.defaultTimestamp(),
                compressionLevel);
    }

    /**
     * Credentials from {@code --creds}, {@code --creds-file} or {@code JURUNC_REGISTRY_AUTH} go only
     * to the registries this build pushes to, never to the registries of base images; Docker's
     * config.json is per registry already.
     */
    Credentials credentials() {
        java.util.Set<String> pushHosts = new java.util.HashSet<>();
        BuildRequest req = request();
        ImageReference name = req.name();
        for (Output o : req.outputs()) {
            if (o instanceof Output.Registry r) {
                pushHosts.add((r.reference() != null ? r.reference() : name).registry());
            }
        }
        if (creds != null && credsFile != null) {
            throw new InputException("--creds and --creds-file both given", "give one of them");
        }
        String text = creds;
        if (credsFile != null) {
            text = readCredsFile(credsFile);
        }
        if (text != null) {
            try {
                return Credentials.forHosts(pushHosts, Credentials.UserPassword.parse(text))
                        .or(Credentials.dockerConfig());
            } catch (IllegalArgumentException e) {
                throw new InputException(
                        "invalid " + (creds != null ? "--creds" : "--creds-file content") + ": " + e.getMessage(),
                        "write USER:PASSWORD");
            }
        }
        return Credentials.fromEnvironment(pushHosts);
    }

    /** The first line of FILE (or of stdin for {@code -}), at most 64 KiB, without its line end. */
    private String readCredsFile(String f) {
        try (java.io.InputStream in = f.equals("-") ? stdin : java.nio.file.Files.newInputStream(Path.of(f))) {
            byte[] b = in.readNBytes(64 * 1024);
            String line = new String(b, java.nio.charset.StandardCharsets.UTF_8)
                    .lines()
                    .findFirst()
                    .orElse("");
            if (line.isEmpty()) {
                throw new InputException("--creds-file " + f + " is empty", "write USER:PASSWORD on its first line");
            }
            return line;
        } catch (java.io.IOException e) {
            throw new InputException(
                    "cannot read --creds-file " + f + ": " + e.getClass().getSimpleName(),
                    "check the file and its permissions");
        }
    }
}
