package io.jurunc.builder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.builder.TestBuilders;
import io.jurunc.builder.TestFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The picocli-free parse of the build verb gives what picocli gives, and leaves the rest to picocli. */
class BuildArgsTest {
    @TempDir
    Path dir;

    private static final Map<String, String> ENV =
            Map.of("CONTAINERD_ADDRESS", "/run/x.sock", "CONTAINERD_NAMESPACE", "", "CONTAINERD_SNAPSHOTTER", "native");

    private static List<Object> view(BuildCommand c) {
        return List.of(
                c.request(),
                String.valueOf(c.creds),
                String.valueOf(c.credsFile),
                c.timings,
                c.tar,
                c.namespace,
                c.address,
                String.valueOf(c.snapshotter));
    }

    private static BuildCommand picocli(String... args) {
        BuildCommand c = new BuildCommand();
        CommandLine cl = new CommandLine(c);
        cl.parseArgs(args);
        return c;
    }

    @Test
    void sameRequestAsPicocli() {
        String[][] lines = {
            {"-t", "demo/x:1", "."},
            {"-t", "demo/x:1", "--compression-level", "0", "-o", "oci:/tmp/l", "--timings", "ctx"},
            {
                "--tag=registry.example.com/a/b:2",
                "--output=oci-archive:a.tar",
                "-o",
                "docker-archive:d.tar",
                "--tar",
                "--platform",
                "linux/amd64,linux/arm64",
                "--platform=linux/riscv64",
                "--build-arg",
                "A=1",
                "--build-arg=B=x=y",
                "--kernel",
                "/boot/k",
                "-f",
                "ctx/bunnyfile",
                "--timestamp",
                "1700000000",
                "ctx"
            },
            {"ctx", "-t", "demo/x", "-n", "ns", "-a", "/s.sock", "--snapshotter", "overlayfs", "--creds-file", "-"},
            {"-t", "demo/x", "--creds", "u:p", "-o", "registry", "--", "ctx"},
        };
        for (String[] line : lines) {
            BuildCommand fast = BuildArgs.bind(new BuildCommand(), line, ENV)
                    .orElseThrow(() -> new AssertionError(String.join(" ", line)));
            BuildCommand slow = picocli(line);
            // picocli reads ${env:...} from the process environment, the fast path from the map it is given
            List<String> l = List.of(line);
            if (!l.contains("-n")) {
                slow.namespace = fast.namespace;
            }
            if (!l.contains("-a")) {
                slow.address = fast.address;
            }
            if (!l.contains("--snapshotter")) {
                slow.snapshotter = fast.snapshotter;
            }
            assertThat(view(fast)).as(String.join(" ", line)).isEqualTo(view(slow));
        }
    }

    @Test
    void environmentDefaultsAsPicocliWritesThem() {
        BuildCommand c = BuildArgs.bind(new BuildCommand(), new String[] {"-t", "x", "."}, ENV)
                .orElseThrow();
        assertThat(List.of(c.namespace, c.address, c.snapshotter, c.compressionLevel))
                .containsExactly("default", "/run/x.sock", "native", 1);
        c = BuildArgs.bind(new BuildCommand(), new String[] {"-t", "x", "."}, Map.of())
                .orElseThrow();
        assertThat(c.address).isEqualTo("/run/containerd/containerd.sock");
        assertThat(c.snapshotter).isNull();
    }

    @Test
    void leavesHelpErrorsAndUnusualFormsToPicocli() {
        String[][] lines = {
            {"--help"},
            {"-h"},
            {"--version"},
            {"-tdemo/x", "."},
            {"-t", "demo/x"},
            {"-t", "demo/x", "a", "b"},
            {"-t", "demo/x", "--compression-level", "x", "."},
            {"-t", "demo/x", "--bogus", "."},
            {"-t", "a", "-t", "b", "."},
            {"-t", "demo/x", "--platform", "linux/amd64,", "."},
            {"-t", "demo/x", "--build-arg", "NOVALUE", "."},
            {"-t", "--tar", "."},
            {"-t", "demo/x", "--timings=true", "."},
            {"-t", "demo/x", "-o"},
        };
        for (String[] line : lines) {
            assertThat(BuildArgs.bind(new BuildCommand(), line, ENV))
                    .as(String.join(" ", line))
                    .isEmpty();
        }
    }

    @Test
    void picocliStillAnswersHelpAndBadFlags() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        BuildCommand cmd = new BuildCommand(creds -> TestBuilders.caching(creds, dir.resolve("cache")));
        assertThat(BuildCommand.execute(cmd, new String[] {"--help"}, ENV, new PrintWriter(out), new PrintWriter(err)))
                .isZero();
        assertThat(out.toString()).contains("Usage: jurunc build");
        assertThat(BuildCommand.execute(
                        new BuildCommand(),
                        new String[] {"-t", "x", "--bogus", "."},
                        ENV,
                        new PrintWriter(out),
                        new PrintWriter(err)))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--bogus");
    }

    @Test
    void theFastPathBuilds() {
        TestFiles.write(dir, "ctx/Containerfile", "FROM scratch\nLABEL a=b\n", "rw-r--r--");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        BuildCommand cmd = new BuildCommand(creds -> TestBuilders.caching(creds, dir.resolve("cache")));
        int rc = BuildCommand.execute(
                cmd,
                new String[] {
                    "-t",
                    "demo/x:1",
                    "-o",
                    "oci:" + dir.resolve("l"),
                    dir.resolve("ctx").toString()
                },
                ENV,
                new PrintWriter(out),
                new PrintWriter(err));
        assertThat(rc).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("sha256:");
        assertThat(err.toString()).contains("oci layout");
        assertThat(BuildCommand.execute(
                        cmd,
                        new String[] {
                            "-t",
                            "demo/x:1",
                            "-o",
                            "oci:" + dir.resolve("l"),
                            dir.resolve("nope").toString()
                        },
                        ENV,
                        new PrintWriter(out),
                        new PrintWriter(err)))
                .isEqualTo(1);
        assertThat(err.toString()).contains("jurunc build: build context");
    }
}
