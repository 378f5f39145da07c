package io.jurunc.shim.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InstallCommandTest {
    @TempDir
    Path tmp;

    private Path config;
    private Path shim;
    private Path bin;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() throws Exception {
        config = tmp.resolve("etc/containerd/config.toml");
        Files.createDirectories(config.getParent());
        shim = tmp.resolve("opt/jurunc/bin/containerd-shim-jurunc-v2");
        Files.createDirectories(shim.getParent());
        Files.writeString(shim, "#!/bin/sh\nexec java io.jurunc.shim.ShimMain \"$@\"\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        bin = tmp.resolve("usr/local/bin");
    }

    private int run(String... extra) {
        CommandLine cl = new CommandLine(new InstallCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] base = {
            "--config",
            config.toString(),
            "--shim",
            shim.toString(),
            "--bin-dir",
            bin.toString(),
            "--containerd-address",
            tmp.resolve("no-containerd.sock").toString()
        };
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return cl.execute(all);
    }

    @Test
    void installsIntoAnExistingConfigIdempotentlyAndUninstalls() throws Exception {
        String original = "version = 2\nroot = \"/var/lib/containerd\"\n\n[plugins.\"io.containerd.grpc.v1.cri\"]\n"
                + "  sandbox_image = \"pause:3.6\"\n";
        Files.writeString(config, original);
        assertThat(run()).isZero();
        String installed = Files.readString(config);
        assertThat(installed)
                .startsWith(original)
                .contains("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.jurunc]")
                .contains("runtime_type = \"io.containerd.jurunc.v2\"")
                .contains("container_annotations = [\"com.urunc.unikernel.*\"]")
                .contains("pod_annotations = [\"com.urunc.unikernel.*\"]")
                .contains("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\n"
                        + "  runtime_type = \"io.containerd.runc.v2\"");
        Path link = bin.resolve("containerd-shim-jurunc-v2");
        assertThat(Files.readSymbolicLink(link)).isEqualTo(shim.toAbsolutePath());

        out.getBuffer().setLength(0);
        assertThat(run()).isZero();
        assertThat(out.toString()).contains("already installed");
        assertThat(Files.readString(config)).isEqualTo(installed);

        assertThat(run("--uninstall")).isZero();
        assertThat(Files.readString(config)).isEqualTo(original);
        assertThat(link).doesNotExist();
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        Files.writeString(config, "version = 2\n");
        assertThat(run("--dry-run")).isZero();
        assertThat(out.toString()).contains("would write " + config).contains("would link");
        assertThat(Files.readString(config)).isEqualTo("version = 2\n");
        assertThat(bin.resolve("containerd-shim-jurunc-v2")).doesNotExist();
    }

    @Test
    void containerd2ConfigGetsTheNewPluginName() throws Exception {
        Files.writeString(config, "version = 3\n");
        assertThat(run("--handler", "uvm")).isZero();
        assertThat(Files.readString(config))
                .contains("[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.uvm]");
    }

    @Test
    void missingConfigIsCreated() throws Exception {
        assertThat(run()).isZero();
        assertThat(Files.readString(config)).startsWith("version = 2\n\n# BEGIN jurunc");
    }

    @Test
    void dropInMustBeImported() throws Exception {
        Path dropIn = config.resolveSibling("conf.d/jurunc.toml");
        Files.writeString(config, "version = 2\n");
        assertThat(run("--drop-in", dropIn.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("does not import").contains("imports");

        Files.writeString(config, "version = 2\nimports = [\"" + dropIn.getParent() + "/*.toml\"]\n");
        assertThat(run("--drop-in", dropIn.toString())).isZero();
        assertThat(Files.readString(dropIn)).startsWith("version = 2\n").contains("runtimes.jurunc]");
        assertThat(Files.readString(config)).doesNotContain("BEGIN jurunc");
        assertThat(run("--drop-in", dropIn.toString(), "--uninstall")).isZero();
        assertThat(dropIn).doesNotExist();
    }

    @Test
    void aHandWrittenTableIsNotOverwritten() throws Exception {
        Files.writeString(
                config,
                "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.jurunc]\n"
                        + "  runtime_type = \"io.containerd.runc.v2\"\n");
        assertThat(run()).isEqualTo(1);
        assertThat(err.toString()).contains("outside jurunc's managed block");
    }

    @Test
    void anExistingRuncRuntimeIsLeftAlone() throws Exception {
        String original = "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\n"
                + "  runtime_type = \"io.containerd.runc.v2\"\n  [plugins.\"io.containerd.grpc.v1.cri\".containerd"
                + ".runtimes.runc.options]\n    SystemdCgroup = true\n";
        Files.writeString(config, original);
        assertThat(run()).isZero();
        String installed = Files.readString(config);
        assertThat(installed.indexOf("runtimes.runc]")).isEqualTo(installed.lastIndexOf("runtimes.runc]"));
        assertThat(run("--uninstall")).isZero();
        assertThat(Files.readString(config)).isEqualTo(original);
    }

    @Test
    void version1ConfigsAreRefused() throws Exception {
        Files.writeString(config, "version = 1\n");
        assertThat(run()).isEqualTo(1);
        assertThat(err.toString()).contains("containerd config migrate");
    }

    @Test
    void withoutContainerdRunningTheDaemonIsLeftToTheFirstContainer() throws Exception {
        Files.writeString(config, "version = 2\n");
        assertThat(run()).isZero();
        assertThat(out.toString()).contains("shim daemon not started: no containerd socket at");
    }

    @Test
    void withContainerdRunningTheNodeDaemonIsStartedAhead() throws Exception {
        Files.writeString(config, "version = 2\n");
        Path sock = tmp.resolve("no-containerd.sock");
        Files.writeString(sock, "");
        Path record = tmp.resolve("start.args");
        Files.writeString(
                shim,
                "#!/bin/sh\necho \"$@ TTRPC=$TTRPC_ADDRESS\" > " + record + "\nprintf unix:///run/containerd/s/abc\n");
        assertThat(run()).isZero();
        assertThat(out.toString()).contains("node shim daemon serving at unix:///run/containerd/s/abc");
        assertThat(Files.readString(record))
                .contains("-namespace k8s.io -address " + sock)
                .contains("-id jurunc-node start")
                .contains("TTRPC=" + sock + ".ttrpc");
        out.getBuffer().setLength(0);
        assertThat(run("--no-start-daemon")).isZero();
        assertThat(out.toString()).doesNotContain("daemon");
    }

    @Test
    void aDaemonThatCannotStartFailsTheInstall() throws Exception {
        Files.writeString(config, "version = 2\n");
        Files.writeString(tmp.resolve("no-containerd.sock"), "");
        Files.writeString(shim, "#!/bin/sh\necho 'no java here' >&2\nexit 1\n");
        assertThat(run()).isEqualTo(1);
        assertThat(err.toString()).contains("did not start: no java here");
    }
}
