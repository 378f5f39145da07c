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
import io.jurunc.e2e.support.TestNetns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad bundles through the CLI directly ({@code jurunc --root R create --bundle B --pid-file P ID}):
 * each fails with a non-zero exit and a message on stderr that names the problem, and leaves nothing
 * behind: no state dir, no process, no pid file, no new files in the bundle, and no tap, extra link or
 * ingress qdisc in the prepared network namespace the bundle names (an eth0 with the default route, as
 * CNI leaves it, so a create that got as far as the network would have made a tap there). A valid
 * bundle in the same kind of netns is the control: once started it has a tap, and delete removes it.
 */
@E2E
class BadInputTest {

    private static final String TYPE = "com.urunc.unikernel.unikernelType";
    private static final String HYPERVISOR = "com.urunc.unikernel.hypervisor";
    private static final String BINARY = "com.urunc.unikernel.binary";

    private final RealHost host = new RealHost();
    private TestNetns netns;

    @BeforeEach
    void prepareNetns() {
        netns = TestNetns.create(host);
    }

    @AfterEach
    void removeNetns() {
        if (netns != null) {
            netns.close();
        }
    }

    @Test
    void controlAValidBundleGetsATapAndForcedDeleteRemovesEverything(@TempDir Path tmp) throws IOException {
        Path bundle = bundle(tmp, Map.of(TYPE, "linux", HYPERVISOR, "qemu"), "/bin/busybox", "sleep", "600");
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path pidFile = tmp.resolve("pid");
        String id = E2eEnvironment.newId("control");
        try {
            CommandResult created = create(root, bundle, pidFile, id);
            assertThat(created.succeeded()).as(created.describe()).isTrue();
            assertThat(pidFile).exists();
            assertThat(root.resolve(id)).isDirectory();
            // the tap appears by start at the latest (ctr --cni fills the netns between create and start)
            CommandResult started = jurunc(root, "start", id);
            assertThat(started.succeeded()).as(started.describe()).isTrue();
            assertThat(netns.taps())
                    .as("a tap in the bundle's netns once started")
                    .isNotEmpty();
            assertThat(netns.eth0Qdiscs()).contains("ingress");

            CommandResult deleted = jurunc(root, "delete", "--force", id);
            assertThat(deleted.succeeded()).as(deleted.describe()).isTrue();
            assertThat(netns.taps()).isEmpty();
            assertThat(netns.extraLinks()).isEmpty();
            assertThat(netns.eth0Qdiscs()).doesNotContain("ingress");
            assertThat(Leftovers.system().find(Leftovers.Scope.of(id, root.resolve(id))))
                    .isEmpty();
        } finally {
            jurunc(root, "delete", "--force", id);
        }
    }

    /** A bundle in {@code tmp} whose config names the test's netns, with these annotations and args. */
    private Path bundle(Path tmp, Map<String, String> annotations, String... args) {
        return HandMadeBundle.write(tmp.resolve("bundle"), annotations, List.of(args), netns.path());
    }

    private CommandResult create(Path root, Path bundle, Path pidFile, String id) {
        return jurunc(root, "create", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), id);
    }

    private CommandResult jurunc(Path root, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(Jurunc.cli().toString(), "--root", root.toString()));
        argv.addAll(List.of(args));
        return host.run(Command.of(argv).withTimeout(Duration.ofSeconds(60)));
    }

    @Test
    void brokenConfigJson(@TempDir Path tmp) throws IOException {
        Path bundle = bundle(tmp, Map.of(TYPE, "linux", HYPERVISOR, "qemu"), "/bin/busybox", "true");
        Files.writeString(bundle.resolve("config.json"), "{\"ociVersion\": \"1.0.2\", \"process\": {");

        CommandResult r = createFails(tmp, bundle, "broken");
        assertThat(r.stderr()).as(r.describe()).containsIgnoringCase("config.json");
    }

    @Test
    void missingKernel(@TempDir Path tmp) throws IOException {
        Path bundle = bundle(
                tmp, Map.of(TYPE, "linux", HYPERVISOR, "qemu", BINARY, "/boot/no-such-kernel"), "/bin/busybox", "true");

        CommandResult r = createFails(tmp, bundle, "nokernel");
        assertThat(r.stderr()).as(r.describe()).contains(BINARY).contains("/boot/no-such-kernel");
    }

    @Test
    void badAnnotationValue(@TempDir Path tmp) throws IOException {
        Path bundle = bundle(tmp, Map.of(TYPE, "linux", HYPERVISOR, "qemuu"), "/bin/busybox", "true");

        CommandResult r = createFails(tmp, bundle, "badannot");
        assertThat(r.stderr()).as(r.describe()).contains(HYPERVISOR).contains("qemuu");
    }

    @Test
    void unsafeKernelPath(@TempDir Path tmp) throws IOException {
        Path bundle = bundle(
                tmp, Map.of(TYPE, "linux", HYPERVISOR, "qemu", BINARY, "/../../boot/vmlinuz"), "/bin/busybox", "true");

        CommandResult r = createFails(tmp, bundle, "escape");
        assertThat(r.stderr()).as(r.describe()).contains(BINARY);
    }

    @Test
    void unsupportedTypeMonitorPair(@TempDir Path tmp) throws IOException {
        Path bundle = bundle(tmp, Map.of(TYPE, "linux", HYPERVISOR, "hvt"), "/bin/busybox", "true");

        CommandResult r = createFails(tmp, bundle, "pair");
        assertThat(r.stderr()).as(r.describe()).containsIgnoringCase("linux").containsIgnoringCase("hvt");
    }

    /** Runs create, checks the common expectations and returns the result for the case's own checks. */
    private CommandResult createFails(Path tmp, Path bundle, String what) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path pidFile = tmp.resolve("pid");
        String id = E2eEnvironment.newId(what);
        List<Path> bundleBefore = listTree(bundle);

        CommandResult r = create(root, bundle, pidFile, id);

        assertThat(r.exitCode()).as(r.describe()).isNotZero();
        assertThat(r.timedOut()).as(r.describe()).isFalse();
        assertThat(r.stderr())
                .as("a message, not a stack trace: " + r.describe())
                .isNotBlank()
                .doesNotContain("\tat io.jurunc.", "Exception in thread");
        assertThat(Leftovers.system().find(Leftovers.Scope.of(id, root.resolve(id), pidFile)))
                .isEmpty();
        assertThat(listTree(bundle)).as("nothing added to the bundle").isEqualTo(bundleBefore);
        assertThat(netns.taps()).as("no tap left in the bundle's netns").isEmpty();
        assertThat(netns.extraLinks()).as("no link added to the bundle's netns").isEmpty();
        assertThat(netns.eth0Qdiscs()).as("no redirect left on eth0").doesNotContain("ingress");
        CommandResult state = jurunc(root, "state", id);
        assertThat(state.exitCode())
                .as("no container was recorded: " + state.describe())
                .isNotZero();
        return r;
    }

    private static List<Path> listTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(dir::relativize).sorted().toList();
        }
    }
}
