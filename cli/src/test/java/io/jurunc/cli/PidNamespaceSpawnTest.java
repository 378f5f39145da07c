package io.jurunc.cli;

import static io.jurunc.cli.SpawnPathTest.isRoot;
import static io.jurunc.cli.SpawnPathTest.jurunc;
import static io.jurunc.cli.SpawnPathTest.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A spec with a {@code pid} namespace (what ctr and the CRI give by default) through the real CLI and
 * the real sandbox helper (issue 11): the helper is pid 1 of a new pid namespace and the monitor its
 * child (pid 2), while the pid file, {@code state}, {@code ps}, {@code kill} and {@code delete} all use
 * the helper's host pid; the helper forwards a SIGTERM to a monitor without handlers, which dies of it;
 * a created container's waiter, init of its namespace before start, stops on SIGTERM too. The
 * container's status (issue 12): the byte a Linux guest writes to its exit port (the monitor's
 * descriptor 3), else the monitor's own status, never 0 for a Linux guest that reported nothing.
 */
class PidNamespaceSpawnTest {
    @TempDir
    Path tmp;

    Path out;
    Path config;
    Path bundle;
    Path root;
    Path pidFile;
    final java.util.List<String> ids = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(isRoot(), "needs root for namespaces");
        Path helper = SandboxHelperBuild.helper(tmp);
        out = Files.createDirectories(tmp.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path kit = Files.createDirectories(tmp.resolve("kit"));
        Files.writeString(kit.resolve("vmlinuz"), "kernel");
        Files.writeString(kit.resolve("init"), "init");
        Files.writeString(kit.resolve("kit.json"), """
        {"version":1,"kernel":"vmlinuz","flavor":"microvm","kernelSource":"test","init":"init","modules":[]}""");
        Path fake = tmp.resolve("fake-monitor");
        // No signal handlers, like the Solo5 spt tender; $$ is the pid inside the monitor's namespace.
        Files.writeString(fake, """
        #!/bin/sh
        echo $$ > %1$s/pid
        exec sleep 60
        """.formatted(out));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        config = tmp.resolve("config.toml");
        Files.writeString(config, """
        [runtime]
        accel = "tcg"
        kit = "%s"
        [monitors.qemu]
        path = "%s"
        [monitors.spt]
        path = "%s"
        [sandbox]
        helper = "%s"
        ids_dir = "%s"
        read_write = ["%s"]
        """.formatted(kit, fake, fake, helper, tmp.resolve("ids"), out));
        bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle.resolve("rootfs/boot"));
        Files.writeString(bundle.resolve("rootfs/boot/kernel"), "not really a kernel");
        root = tmp.resolve("root");
        pidFile = tmp.resolve("init.pid");
    }

    /** A test that failed half-way leaves no waiter or monitor behind (the helper's root dir goes with @TempDir). */
    @AfterEach
    void forceDelete() throws Exception {
        for (String id : ids) cli("delete", "--force", id);
    }

    private void spec(String guest, String monitor) throws Exception {
        String binary = guest.equals("linux") ? "" : ",\"com.urunc.unikernel.binary\":\"/boot/kernel\"";
        Files.writeString(bundle.resolve("config.json"), """
        {"ociVersion":"1.0.2","process":{"args":["/app"],"cwd":"/"},"root":{"path":"rootfs"},
         "annotations":{"com.urunc.unikernel.unikernelType":"%s","com.urunc.unikernel.hypervisor":"%s"%s},
         "linux":{"namespaces":[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}]}}
        """.formatted(guest, monitor, binary));
    }

    private SpawnPathTest.Result cli(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "--root";
        all[1] = root.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return jurunc(config, all);
    }

    private static String field(long pid, String name) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith(name + ":"))
                .findFirst()
                .orElseThrow()
                .substring(name.length() + 1)
                .trim();
    }

    private static boolean exits(long pid) {
        return ProcessHandle.of(pid)
                .map(p -> {
                    try {
                        p.onExit().get(10, TimeUnit.SECONDS);
                        return true;
                    } catch (Exception e) {
                        return false;
                    }
                })
                .orElse(true);
    }

    @ParameterizedTest
    @CsvSource({"linux,qemu", "mirage,spt"})
    void theMonitorIsPid1OfItsOwnNamespaceAndTheLifecycleUsesItsHostPid(String guest, String monitor) throws Exception {
        spec(guest, monitor);
        String id = "pidns-" + monitor;
        ids.add(id);
        SpawnPathTest.Result create =
                cli("create", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), id);
        assertThat(create.rc()).as(create.err()).isZero();
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(field(pid, "NSpid"))
                .as("the waiter is pid 1 of a new namespace")
                .isEqualTo(pid + "\t1");
        assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "pid")))
                .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")));

        SpawnPathTest.Result start = cli("start", id);
        assertThat(start.rc()).as(start.err()).isZero();
        for (int i = 0; i < 500 && !Files.exists(out.resolve("pid")); i++) Thread.sleep(10);
        assertThat(Files.readString(out.resolve("pid")).trim())
                .as("the monitor's own view of its pid: the init's first child")
                .isEqualTo("2");
        assertThat(field(pid, "NSpid")).as("the same process, now the init").isEqualTo(pid + "\t1");
        assertThat(field(pid, "CapEff")).isEqualTo("0000000000000000");
        assertThat(cli("state", id).out()).contains("\"running\"").containsPattern("\"pid\"\\s*:\\s*" + pid + ",");
        assertThat(cli("ps", "--format", "json", id).out().trim()).isEqualTo("[" + pid + "]");

        // sleep catches nothing; the init forwards SIGTERM to it, and it is not its namespace's init
        SpawnPathTest.Result kill = cli("kill", id, "TERM");
        assertThat(kill.rc()).as(kill.err()).isZero();
        assertThat(exits(pid)).as("SIGTERM stopped the monitor").isTrue();
        SpawnPathTest.Result del = cli("delete", id);
        assertThat(del.rc()).as(del.err()).isZero();
        assertThat(root.resolve(id)).doesNotExist();
    }

    @Test
    void aCreatedContainersWaiterStopsOnSigtermAsItsNamespacesInit() throws Exception {
        spec("linux", "qemu");
        String id = "pidns-created";
        ids.add(id);
        SpawnPathTest.Result create =
                cli("create", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), id);
        assertThat(create.rc()).as(create.err()).isZero();
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(field(pid, "NSpid")).endsWith("\t1");
        assertThat(Long.parseLong(field(pid, "SigCgt"), 16) & (1L << 14))
                .as("the waiter catches SIGTERM")
                .isNotZero();
        assertThat(sh("kill -TERM " + pid)).isEmpty();
        assertThat(exits(pid)).isTrue();
        assertThat(cli("state", id).out()).contains("\"stopped\"");
        assertThat(cli("delete", id).rc()).isZero();
        assertThat(root.resolve(id)).doesNotExist();
    }

    /** {@code run} in the foreground waits for a monitor forked into its pid namespace: its output and status. */
    @Test
    void runInTheForegroundWaitsForTheForkedMonitorAndReturnsItsStatus() throws Exception {
        spec("linux", "qemu");
        Path fake = tmp.resolve("fake-monitor-exits");
        Files.writeString(fake, """
        #!/bin/sh
        echo "monitor in its namespace as pid $$"
        sleep 0.5
        exit 7
        """);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(
                config,
                Files.readString(config)
                        .replaceFirst("(\\[monitors\\.qemu\\]\\npath = )\"[^\"]*\"", "$1\"" + fake + "\""));
        String id = "pidns-run";
        ids.add(id);
        SpawnPathTest.Result run = cli("run", "--bundle", bundle.toString(), id);
        assertThat(run.rc()).as(run.err()).isEqualTo(7);
        assertThat(run.out()).contains("monitor in its namespace as pid 2");
        assertThat(root.resolve(id)).doesNotExist();
    }

    /** A fake monitor for {@code jurunc run}: its script's body after the shebang. */
    private void fakeMonitor(String body) throws Exception {
        Path fake = tmp.resolve("fake-monitor-status");
        // a monitor that exits within milliseconds of its exec is one start reports as "exited at once"
        Files.writeString(fake, "#!/bin/sh\nsleep 0.5\n" + body + "\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        String toml = Files.readString(config)
                .replaceAll("(\\[monitors\\.(qemu|spt)\\]\\npath = )\"[^\"]*\"", "$1\"" + fake + "\"");
        Files.writeString(config, toml);
    }

    /**
     * The container's status through {@code jurunc run} (the helper is the process it waits on): the
     * guest's byte on descriptor 3 wins; a monitor killed by signal n is 128+n; a failing monitor keeps
     * its status; a Linux monitor that exits 0 without a byte is 255 (a guest that stopped without a
     * status is no success); a unikernel's monitor gets no descriptor 3 and its 0 stays 0.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "linux | qemu | printf '\\052' >&3; exit 0 | 42",
                "linux | qemu | printf '\\000' >&3; exit 0 | 0",
                "linux | qemu | printf '\\003' >&3; kill -KILL $$ | 3",
                "linux | qemu | exit 0 | 255",
                "linux | qemu | exit 1 | 1",
                "linux | qemu | kill -SEGV $$ | 139",
                "mirage | spt | if { true >&3; } 2>/dev/null; then exit 9; fi; exit 0 | 0",
                "mirage | spt | exit 5 | 5",
            })
    void theContainersStatusIsTheGuestsByteElseTheMonitors(String guest, String monitor, String body, int status)
            throws Exception {
        spec(guest, monitor);
        fakeMonitor(body);
        String id = "status-" + guest + "-" + ids.size();
        ids.add(id);
        SpawnPathTest.Result run = cli("run", "--bundle", bundle.toString(), id);
        assertThat(run.rc()).as(run.err()).isEqualTo(status);
    }

    /**
     * {@code kill TERM} of a Linux microVM whose monitor exits 0 on SIGTERM, as QEMU does: the helper
     * forwarded the signal and nothing came from the guest, so the status is 143, as a shell's.
     */
    @Test
    void aSigtermThatStopsTheMonitorIs143() throws Exception {
        spec("linux", "qemu");
        fakeMonitor("trap 'exit 0' TERM; echo up > " + out + "/up; while :; do sleep 1; done");
        String id = "status-term";
        ids.add(id);
        ProcessBuilder pb = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--root",
                root.toString(),
                "run",
                "--bundle",
                bundle.toString(),
                id);
        pb.environment().put("JURUNC_CONFIG", config.toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process run = pb.redirectErrorStream(true).start();
        for (int i = 0; i < 1000 && !Files.exists(out.resolve("up")); i++) Thread.sleep(10);
        assertThat(out.resolve("up")).exists();
        SpawnPathTest.Result kill = cli("kill", id, "TERM");
        assertThat(kill.rc()).as(kill.err()).isZero();
        assertThat(run.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue())
                .as(new String(run.getInputStream().readAllBytes()))
                .isEqualTo(143);
    }
}
