package io.jurunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.Command;
import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.E2eEnvironment;
import io.jurunc.e2e.support.HandMadeBundle;
import io.jurunc.e2e.support.Jurunc;
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.RealHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad bundles through the CLI directly ({@code jurunc --root R create --bundle B --pid-file P ID}):
 * each fails with a non-zero exit and a message on stderr that names the problem, and leaves nothing
 * behind: no state dir, no process, no pid file, no new files in the bundle.
 */
@E2E
class BadInputTest {

    private static final String TYPE = "com.urunc.unikernel.unikernelType";
    private static final String HYPERVISOR = "com.urunc.unikernel.hypervisor";
    private static final String BINARY = "com.urunc.unikernel.binary";

    private final RealHost host = new RealHost();

    @Test
    void brokenConfigJson(@TempDir Path tmp) throws IOException {
        Path bundle = HandMadeBundle.write(tmp.resolve("bundle"), Map.of(TYPE, "linux", HYPERVISOR, "qemu"),
                List.of("/bin/busybox", "true"));
        Files.writeString(bundle.resolve("config.json"), "{\"ociVersion\": \"1.0.2\", \"process\": {");

        CommandResult r = createFails(tmp, bundle, "broken");
        assertThat(r.stderr()).as(r.describe()).containsIgnoringCase("config.json");
    }

    @Test
    void missingKernel(@TempDir Path tmp) throws IOException {
        Path bundle = HandMadeBundle.write(tmp.resolve("bundle"),
                Map.of(TYPE, "linux", HYPERVISOR, "qemu", BINARY, "/boot/no-such-kernel"),
                List.of("/bin/busybox", "true"));

        CommandResult r = createFails(tmp, bundle, "nokernel");
        assertThat(r.stderr()).as(r.describe()).contains(BINARY).contains("/boot/no-such-kernel");
    }

    @Test
    void badAnnotationValue(@TempDir Path tmp) throws IOException {
        Path bundle = HandMadeBundle.write(tmp.resolve("bundle"), Map.of(TYPE, "linux", HYPERVISOR, "qemuu"),
                List.of("/bin/busybox", "true"));

        CommandResult r = createFails(tmp, bundle, "badannot");
        assertThat(r.stderr()).as(r.describe()).contains(HYPERVISOR).contains("qemuu");
    }

    @Test
    void unsafeKernelPath(@TempDir Path tmp) throws IOException {
        Path bundle = HandMadeBundle.write(tmp.resolve("bundle"),
                Map.of(TYPE, "linux", HYPERVISOR, "qemu", BINARY, "/../../boot/vmlinuz"),
                List.of("/bin/busybox", "true"));

        CommandResult r = createFails(tmp, bundle, "escape");
        assertThat(r.stderr()).as(r.describe()).contains(BINARY);
    }

    @Test
    void unsupportedTypeMonitorPair(@TempDir Path tmp) throws IOException {
        Path bundle = HandMadeBundle.write(tmp.resolve("bundle"), Map.of(TYPE, "linux", HYPERVISOR, "hvt"),
                List.of("/bin/busybox", "true"));

        CommandResult r = createFails(tmp, bundle, "pair");
        assertThat(r.stderr()).as(r.describe()).containsIgnoringCase("linux").containsIgnoringCase("hvt");
    }

    /** Runs create, checks the common expectations and returns the result for the case's own checks. */
    private CommandResult createFails(Path tmp, Path bundle, String what) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path pidFile = tmp.resolve("pid");
        String id = E2eEnvironment.newId(what);
        List<Path> bundleBefore = listTree(bundle);

        CommandResult r = host.run(Command.of(Jurunc.cli().toString(), "--root", root.toString(), "create",
                "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), id)
                .withTimeout(Duration.ofSeconds(60)));

        assertThat(r.exitCode()).as(r.describe()).isNotZero();
        assertThat(r.timedOut()).as(r.describe()).isFalse();
        assertThat(r.stderr()).as("a message, not a stack trace: " + r.describe())
                .isNotBlank().doesNotContain("\tat io.jurunc.", "Exception in thread");
        assertThat(Leftovers.system().find(Leftovers.Scope.of(id, root.resolve(id), pidFile))).isEmpty();
        assertThat(listTree(bundle)).as("nothing added to the bundle").isEqualTo(bundleBefore);
        CommandResult state = host.run(Command.of(Jurunc.cli().toString(), "--root", root.toString(), "state", id));
        assertThat(state.exitCode()).as("no container was recorded: " + state.describe()).isNotZero();
        return r;
    }

    private static List<Path> listTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(dir::relativize).sorted().toList();
        }
    }
}
