package io.jurunc.builder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.builder.TestFiles;
import io.jurunc.builder.build.BuildRequest;
import io.jurunc.builder.build.ImageBuilder;
import io.jurunc.builder.image.ImageReference;
import io.jurunc.builder.os.SystemProcessRunner;
import io.jurunc.builder.output.Output;
import io.jurunc.builder.output.ProcessCtr;
import io.jurunc.builder.registry.BlobCache;
import io.jurunc.builder.registry.RegistryClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BuildCommandTest {
    @TempDir
    Path ctx;

    @TempDir
    Path out;

    final List<List<String>> ctrCalls = new ArrayList<>();
    final StringWriter stdout = new StringWriter();
    final StringWriter stderr = new StringWriter();

    private int run(String... args) {
        BuildCommand cmd = new BuildCommand(creds -> new ImageBuilder(
                new RegistryClient(creds),
                new BlobCache(out.resolve("cache")),
                (a, n, s, f) -> ctrCalls.add(ProcessCtr.argv("ctr", a, n, s, f)),
                new SystemProcessRunner()));
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(stdout));
        cl.setErr(new PrintWriter(stderr));
        return cl.execute(args);
    }

    private static BuildRequest request(String... args) {
        BuildCommand cmd = new BuildCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.request();
    }

    @Test
    void bimaFlagsDefaultToAContainerdImport() {
        TestFiles.write(ctx, "Containerfile", "FROM scratch\nLABEL a=b\n", "rw-r--r--");
        assertThat(run(
                        "-t",
                        "demo/x:1",
                        "-a",
                        "/tmp/c.sock",
                        "-n",
                        "testns",
                        "--snapshotter",
                        "overlayfs",
                        ctx.toString()))
                .isZero();
        assertThat(stdout.toString()).startsWith("sha256:");
        assertThat(ctrCalls).hasSize(1);
        assertThat(ctrCalls.getFirst().subList(0, 9))
                .containsExactly(
                        "ctr", "-a", "/tmp/c.sock", "-n", "testns", "images", "import", "--snapshotter", "overlayfs");
    }

    @Test
    void outputForms() {
        BuildRequest r = request(
                "-t",
                "registry.example.com/team/app:2",
                "--tar",
                "-o",
                "oci:lay",
                "-o",
                "oci-archive:a.tar",
                "-o",
                "docker-archive:d.tar",
                "-o",
                "type=oci,dest=b.tar",
                "-o",
                "type=oci,dest=dir2,tar=false",
                "-o",
                "type=docker,dest=e.tar",
                "-o",
                "registry",
                "-o",
                "docker://localhost:5000/x:y",
                "--platform",
                "linux/amd64,linux/arm64",
                ".");
        assertThat(r.outputs())
                .containsExactly(
                        new Output.OciLayout(Path.of("lay")),
                        new Output.OciArchive(Path.of("a.tar")),
                        new Output.DockerArchive(Path.of("d.tar")),
                        new Output.OciArchive(Path.of("b.tar")),
                        new Output.OciLayout(Path.of("dir2")),
                        new Output.DockerArchive(Path.of("e.tar")),
                        new Output.Registry(null),
                        new Output.Registry(ImageReference.parse("localhost:5000/x:y")),
                        new Output.DockerArchive(Path.of("app:2")));
        assertThat(r.platforms()).hasSize(2);
        assertThat(r.name().toString()).isEqualTo("registry.example.com/team/app:2");
    }

    @Test
    void errorsAreOneLineAndNonZero() {
        TestFiles.write(ctx, "Containerfile", "FROM scratch\nRUN make\n", "rw-r--r--");
        assertThat(run("-t", "x", "-o", "oci:" + out.resolve("l"), ctx.toString()))
                .isEqualTo(1);
        assertThat(stderr.toString())
                .startsWith("jurunc build: " + ctx.resolve("Containerfile") + ":2: RUN is not supported");
        assertThat(run("-t", "x", "-o", "bogus", ctx.toString())).isEqualTo(1);
        assertThat(stderr.toString()).contains("invalid output type \"bogus\"");
        assertThat(run("-t", "Bad Name", "-o", "oci:" + out.resolve("l"), ctx.toString()))
                .isEqualTo(1);
        assertThat(stderr.toString()).contains("invalid -t");
        assertThat(run(
                        "-t",
                        "x",
                        "-o",
                        "oci:" + out.resolve("l"),
                        out.resolve("nope").toString()))
                .isEqualTo(1);
        assertThat(stderr.toString()).contains("is not a directory");
        assertThat(run("-o", "tar", ctx.toString())).isEqualTo(2);
        assertThat(out.resolve("l")).doesNotExist();
    }
}
