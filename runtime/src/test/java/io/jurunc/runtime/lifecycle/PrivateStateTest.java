package io.jurunc.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.runtime.host.Stdio;
import io.jurunc.runtime.state.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** State under --root holds the container's environment: 0700 directories, 0600 files, no links followed. */
class PrivateStateTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void stateDirectoriesAndFilesAreRootOnly() throws Exception {
        // before: 0755 directories and 0644 jurunc.json / generated files
        Path root = tmp.resolve("root");
        Path bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.writeString(bundle.resolve("config.json"), """
        {"ociVersion":"1.0.2","process":{"args":["/app"],"env":["TOKEN=secret"],"cwd":"/"},
         "root":{"path":"rootfs"},
         "annotations":{"com.urunc.unikernel.unikernelType":"linux","com.urunc.unikernel.hypervisor":"qemu"}}
        """);
        Fakes.World w = Fakes.world(root);
        new CreateOperation(w.ctx())
                .run(new CreateRequest("p1", Bundle.load(bundle), Optional.empty(), Optional.empty(), Stdio.INHERIT));
        new StartOperation(w.ctx()).run("p1");
        assertThat(mode(root)).isEqualTo("rwx------");
        assertThat(mode(root.resolve("p1"))).isEqualTo("rwx------");
        assertThat(mode(root.resolve("p1/jurunc.json"))).isEqualTo("rw-------");
        // the files start writes go through the host, root-only (LinuxHostFilesTest: the mode is kept)
        assertThat(w.host().written)
                .containsEntry(root.resolve("p1/monitor.launch"), PrivateFiles.FILE)
                .containsEntry(root.resolve("p1/monitor.json"), PrivateFiles.FILE);
    }
}
