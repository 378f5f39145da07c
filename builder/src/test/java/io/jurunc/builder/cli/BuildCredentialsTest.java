package io.jurunc.builder.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.builder.InputException;
import io.jurunc.builder.TestFiles;
import io.jurunc.builder.registry.Credentials;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 11: credentials go to the push target only and need not be on the command line. */
class BuildCredentialsTest {
    @TempDir
    Path dir;

    private static Credentials credentials(BuildCommand cmd, String... args) {
        new CommandLine(cmd).parseArgs(args);
        return cmd.credentials();
    }

    @Test
    void credsGoToThePushTargetOnlyNotToBaseImageRegistries() {
        Credentials c = credentials(
                new BuildCommand(),
                "-t",
                "push.example:5000/team/app:1",
                "--creds",
                "u:p",
                "-o",
                "registry",
                "-o",
                "docker://mirror.example/team/app:1",
                ".");
        assertThat(c.lookup("push.example:5000")).contains(new Credentials.UserPassword("u", "p"));
        assertThat(c.lookup("mirror.example")).contains(new Credentials.UserPassword("u", "p"));
        assertThat(c.lookup("docker.io")).isEmpty();
        assertThat(c.lookup("base.example")).isEmpty();
        // a build that pushes nowhere gives its credentials to no registry
        assertThat(credentials(new BuildCommand(), "-t", "x:1", "--creds", "u:p", "-o", "oci:lay", ".")
                        .lookup("docker.io"))
                .isEmpty();
    }

    @Test
    void credsFromAFileOrStdin() {
        Path f = TestFiles.write(dir, "creds", "alice:s3cr:et\nignored\n", "rw-------");
        Credentials c = credentials(
                new BuildCommand(), "-t", "push.example/app:1", "--creds-file", f.toString(), "-o", "registry", ".");
        assertThat(c.lookup("push.example")).contains(new Credentials.UserPassword("alice", "s3cr:et"));
        BuildCommand fromStdin =
                new BuildCommand().withStdin(new ByteArrayInputStream("bob:pw\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(credentials(fromStdin, "-t", "push.example/app:1", "--creds-file", "-", "-o", "registry", ".")
                        .lookup("push.example"))
                .contains(new Credentials.UserPassword("bob", "pw"));
        assertThatThrownBy(() -> credentials(
                        new BuildCommand(),
                        "-t",
                        "a:1",
                        "--creds-file",
                        dir.resolve("none").toString(),
                        "."))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("cannot read --creds-file");
        Path empty = TestFiles.write(dir, "empty", "", "rw-------");
        assertThatThrownBy(() -> credentials(new BuildCommand(), "-t", "a:1", "--creds-file", empty.toString(), "."))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> credentials(
                        new BuildCommand(), "-t", "a:1", "--creds", "a:b", "--creds-file", f.toString(), "."))
                .isInstanceOf(InputException.class);
    }
}
