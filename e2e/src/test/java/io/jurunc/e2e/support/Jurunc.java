package io.jurunc.e2e.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the code under test lives. The launchers come from the build ({@code mvn install} puts them in
 * {@code cli/target/dist/bin}); {@code -Djurunc.bin=/path/to/jurunc} overrides, e.g. for an installed copy.
 */
public final class Jurunc {

    private Jurunc() {}

    /** The repository root (surefire passes {@code jurunc.repo}). */
    public static Path repo() {
        String r = System.getProperty("jurunc.repo");
        if (r != null) {
            return Path.of(r).toAbsolutePath().normalize();
        }
        Path here = Path.of("").toAbsolutePath();
        return Files.isRegularFile(here.resolve("e2e/pom.xml")) ? here : here.getParent();
    }

    public static Path binDir() {
        String b = System.getProperty("jurunc.bin");
        return b != null ? Path.of(b).toAbsolutePath().getParent() : repo().resolve("cli/target/dist/bin");
    }

    /** The runc-compatible CLI. */
    public static Path cli() {
        String b = System.getProperty("jurunc.bin");
        return b != null ? Path.of(b).toAbsolutePath() : binDir().resolve("jurunc");
    }

    /** The containerd shim (for {@code --runtime io.containerd.jurunc.v2}). */
    public static Path shim() {
        return binDir().resolve("containerd-shim-jurunc-v2");
    }

    /** The guest kit {@code scripts/build-kit.sh} makes (kernel, modules, init). */
    public static Path kit() {
        return Path.of(System.getProperty("jurunc.kit", "/var/lib/jurunc/kit"));
    }

    public static boolean built() {
        return Files.isExecutable(cli());
    }
}
