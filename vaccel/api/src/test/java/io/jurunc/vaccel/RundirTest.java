package io.jurunc.vaccel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rundir is private and unpredictable, and a planted $XDG_RUNTIME_DIR/vaccel is refused. */
class RundirTest {
    @TempDir
    Path tmp;

    private static Vaccel vaccel(Map<String, String> env) {
        return Vaccel.bootstrap(
                VaccelConfig.of("noop").withEnv(env),
                List.of(new RecordingPlugin("noop", PluginType.DEBUG, false, java.util.Set.of())));
    }

    @Test
    void withoutXdgRuntimeDirTheRundirIsAFreshPrivateTempDir() throws Exception {
        try (Vaccel a = vaccel(Map.of());
                Vaccel b = vaccel(Map.of())) {
            Path ra = a.rundir();
            assertThat(ra.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
            assertThat(ra.getFileName().toString()).startsWith("vaccel-");
            assertThat(ra).isNotEqualTo(b.rundir());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ra)))
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void aSymlinkPlantedAsTheVaccelDirIsRefused() throws Exception {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Path xdg = Files.createDirectory(tmp.resolve("xdg"));
        Files.createSymbolicLink(xdg.resolve("vaccel"), elsewhere);
        try (Vaccel v = vaccel(Map.of("XDG_RUNTIME_DIR", xdg.toString()))) {
            assertThatThrownBy(v::rundir)
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EACCES));
            assertThat(elsewhere.toFile().list()).isEmpty();
        }
        Path ok = Files.createDirectory(tmp.resolve("ok"));
        try (Vaccel v = vaccel(Map.of("XDG_RUNTIME_DIR", ok.toString()))) {
            assertThat(v.rundir().getParent()).isEqualTo(ok.resolve("vaccel"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(v.rundir())))
                    .isEqualTo("rwx------");
        }
    }
}
