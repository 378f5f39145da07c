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
 * the real sandbox helper (issue 11): the monitor is pid 1 of a new pid namespace, while the pid file,
 * {@code state}, {@code ps}, {@code kill} and {@code delete} all use its host pid; a SIGTERM that a
 * monitor without handlers would drop as its namespace's init still stops it; a created container's
 * waiter, init of its namespace before start, stops on SIGTERM too.
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
                .as("the monitor's own view of its pid")
                .isEqualTo("1");
        assertThat(field(pid, "NSpid")).as("the same process, now the monitor").isEqualTo(pid + "\t1");
        assertThat(field(pid, "CapEff")).isEqualTo("0000000000000000");
        assertThat(cli("state", id).out()).contains("\"running\"").containsPattern("\"pid\"\\s*:\\s*" + pid + ",");
        assertThat(cli("ps", "--format", "json", id).out().trim()).isEqualTo("[" + pid + "]");

        // sleep catches nothing: as pid 1 it would drop SIGTERM; kill sends SIGKILL instead
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
        assertThat(run.out()).contains("monitor in its namespace as pid 1");
        assertThat(root.resolve(id)).doesNotExist();
    }
}
