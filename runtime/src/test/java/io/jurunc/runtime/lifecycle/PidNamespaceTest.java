package io.jurunc.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.runtime.host.Stdio;
import io.jurunc.runtime.ports.SandboxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor's pid namespace as linux.namespaces asks (issue 11): no entry keeps the host's and the
 * helper's own pid; an entry without a path makes the helper fork into a fresh namespace and the
 * pid file, the state and delete all use the forked child's host pid; an entry with a path is
 * joined; bad paths and a helper that could not fork fail create and leave nothing.
 */
class PidNamespaceTest {
    @TempDir
    Path tmp;

    Path root;
    Path bundle;
    Fakes.World w;

    @BeforeEach
    void setUp() throws Exception {
        root = tmp.resolve("root");
        bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle.resolve("rootfs/boot"));
        w = Fakes.world(root);
    }

    private void config(String pidEntry) throws Exception {
        Files.writeString(bundle.resolve("config.json"), """
        {"ociVersion":"1.0.2","process":{"args":["/bin/echo","hi"],"cwd":"/"},
         "root":{"path":"rootfs"},"annotations":{"com.urunc.unikernel.unikernelType":"linux",
           "com.urunc.unikernel.hypervisor":"qemu"},
         "linux":{"namespaces":[{"type":"network"}%s]}}
        """.formatted(pidEntry == null ? "" : "," + pidEntry));
    }

    private CreateOperation.Created create(String id) throws Exception {
        return new CreateOperation(w.ctx())
                .run(new CreateRequest(
                        id,
                        Bundle.load(bundle),
                        Optional.of(tmp.resolve("init.pid")),
                        Optional.empty(),
                        Stdio.INHERIT));
    }

    @Test
    void withoutAPidEntryTheHelperStaysInTheHostsNamespaceAndItsPidIsTheContainers() throws Exception {
        config(null);
        var created = create("h1");
        assertThat(w.host().spawned.getFirst())
                .containsExactly(
                        tmp.resolve("jurunc-sandbox").toString(),
                        "jurunc-waiter",
                        root.resolve("h1").toString(),
                        "--new-net");
        assertThat(created.record().pid()).isEqualTo(4242);
        assertThat(Files.readString(tmp.resolve("init.pid"))).isEqualTo("4242");
        assertThat(root.resolve("h1").resolve(WaiterCommand.PID_FILE)).doesNotExist();
    }

    @Test
    void aPidEntryWithoutAPathForksIntoAFreshNamespaceAndEverythingUsesTheChildsHostPid() throws Exception {
        config("{\"type\":\"pid\"}");
        var created = create("p1");
        assertThat(w.host().spawned.getFirst())
                .containsExactly(
                        tmp.resolve("jurunc-sandbox").toString(),
                        "jurunc-waiter",
                        root.resolve("p1").toString(),
                        "--new-net",
                        "--new-pid");
        long child = 4243; // 4242 is the helper's first pid, which only forks and exits
        assertThat(created.record().pid()).isEqualTo(child);
        assertThat(created.record().pidStartTime())
                .as("the child's start time, not the helper's")
                .isEqualTo(78);
        assertThat(created.process())
                .as("this JVM is not the child's parent: it is reaped by pid")
                .isEmpty();
        assertThat(Files.readString(tmp.resolve("init.pid"))).isEqualTo(Long.toString(child));
        assertThat(new StateQuery(w.ctx()).run("p1").pid()).isEqualTo((int) child);

        new StartOperation(w.ctx()).run("p1");
        assertThat(w.network().calls).containsExactly("setup /proc/" + child + "/ns/net p1 owner 2000000:2000000");
        assertThat(new StateQuery(w.ctx()).run("p1").status()).isEqualTo("running");
        new DeleteOperation(w.ctx()).run("p1", true);
        assertThat(w.host().signals).containsExactly(child + ":9");
        assertThat(root.resolve("p1")).doesNotExist();
    }

    @Test
    void aPidEntryWithAPathJoinsThatNamespace() throws Exception {
        Path podPidns = Files.createFile(tmp.resolve("pause-pidns")); // stands for /proc/<pause>/ns/pid
        config("{\"type\":\"pid\",\"path\":\"" + podPidns + "\"}");
        var created = create("j1");
        assertThat(w.host().spawned.getFirst()).endsWith("--new-net", "--pidns", podPidns.toString());
        assertThat(created.record().pid()).isEqualTo(4243);
        assertThat(Files.readString(tmp.resolve("init.pid"))).isEqualTo("4243");
    }

    @Test
    void aMissingOrRelativePidNamespacePathFailsCreateBeforeAnythingIsMade() throws Exception {
        config("{\"type\":\"pid\",\"path\":\"" + tmp.resolve("gone") + "\"}");
        assertThatThrownBy(() -> create("m1"))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("pid namespace")
                .hasMessageContaining("does not exist");
        config("{\"type\":\"pid\",\"path\":\"proc/1/ns/pid\"}");
        assertThatThrownBy(() -> create("m1"))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("not absolute");
        assertThat(root.resolve("m1")).doesNotExist();
        assertThat(w.host().spawned).isEmpty();
    }

    @Test
    void aHelperThatCouldNotForkFailsCreateAndLeavesNothing() throws Exception {
        config("{\"type\":\"pid\"}");
        w.host().forkFails = true;
        assertThatThrownBy(() -> create("f1"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining(WaiterCommand.PID_FILE);
        assertThat(root.resolve("f1")).doesNotExist();
        assertThat(tmp.resolve("init.pid")).doesNotExist();
    }

    @Test
    void aHelperThatNeverForksFailsCreateAfterFiveSecondsOnTheHostsClock() throws Exception {
        config("{\"type\":\"pid\"}");
        w.host().forkHangs = true;
        long before = w.host().now;
        assertThatThrownBy(() -> create("f2"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("(pid 4242) did not fork into the pid namespace within 5000 ms");
        assertThat(w.host().now - before).isBetween(5_000_000_000L, 5_010_000_000L);
        assertThat(root.resolve("f2")).doesNotExist();
        assertThat(tmp.resolve("init.pid")).doesNotExist();
    }

    @Test
    void aPidFileThatHoldsNoPidOrIsNoPidFileFailsCreateAndLeavesNothing() throws Exception {
        config("{\"type\":\"pid\"}");
        Fakes.RecordingHost host = w.host();
        host.onSpawn = () -> write(root.resolve("g1").resolve(WaiterCommand.PID_FILE), "-1\n");
        assertThatThrownBy(() -> create("g1"))
                .isInstanceOf(SandboxException.class)
                .hasMessageEndingWith(WaiterCommand.PID_FILE + " does not hold a pid");
        assertThat(root.resolve("g1")).doesNotExist();
        host.onSpawn = () -> write(root.resolve("g2").resolve(WaiterCommand.PID_FILE), "4243".repeat(5));
        assertThatThrownBy(() -> create("g2"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining(WaiterCommand.PID_FILE + " is not the sandbox helper's pid file");
        assertThat(root.resolve("g2")).doesNotExist();
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aWaiterThatDiedRightAfterTheForkFailsCreateAndLeavesNothing() throws Exception {
        config("{\"type\":\"pid\"}");
        Fakes.RecordingHost host = w.host();
        host.onSpawn = () -> host.procs.put(4243L, new io.jurunc.runtime.host.ProcessInfo(4243, 'Z', 78, ""));
        assertThatThrownBy(() -> create("z1"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("exited at once");
        assertThat(root.resolve("z1")).doesNotExist();
    }

    @Test
    void killSendsSigkillForATerminatingSignalTheNamespacesInitWouldDrop() throws Exception {
        config("{\"type\":\"pid\"}");
        long child = create("k1").record().pid();
        new StartOperation(w.ctx()).run("k1");
        // The Solo5 spt tender: pid 1 of its namespace, no handlers.
        w.host().statuses.put(child, "Name:\tsolo5-spt\nNSpid:\t" + child + "\t1\nSigCgt:\t0000000000000000\n");
        new KillOperation(w.ctx()).run("k1", 28, false); // SIGWINCH: not terminating, sent as asked
        new KillOperation(w.ctx()).run("k1", 15, false);
        assertThat(w.host().signals).containsExactly(child + ":28", child + ":9");
    }

    @Test
    void killSendsACaughtSignalAsAsked() throws Exception {
        config("{\"type\":\"pid\"}");
        long child = create("k2").record().pid();
        new StartOperation(w.ctx()).run("k2");
        // QEMU catches SIGHUP, SIGINT and SIGTERM (bits 0, 1, 14).
        w.host().statuses.put(child, "NSpid:\t" + child + "\t1\nSigCgt:\t0000000180004003\n");
        new KillOperation(w.ctx()).run("k2", 15, false);
        assertThat(w.host().signals).containsExactly(child + ":15");
    }

    @Test
    void theSignalRuleReadsNspidAndSigCgt() {
        String sptInit = "NSpid:\t5000\t1\nSigCgt:\t0000000000000000\n";
        String qemuInit = "NSpid:\t5000\t1\nSigCgt:\t0000000180004003\n";
        String hostProcess = "NSpid:\t5000\nSigCgt:\t0000000000000000\n";
        String joined = "NSpid:\t5000\t7\nSigCgt:\t0000000000000000\n";
        assertThat(MonitorSignals.delivered(15, sptInit)).isEqualTo(9);
        assertThat(MonitorSignals.delivered(2, sptInit)).isEqualTo(9);
        assertThat(MonitorSignals.delivered(1, sptInit)).isEqualTo(9);
        assertThat(MonitorSignals.delivered(40, sptInit))
                .as("real-time signals terminate by default")
                .isEqualTo(9);
        assertThat(MonitorSignals.delivered(28, sptInit))
                .as("SIGWINCH is ignored by default anyway")
                .isEqualTo(28);
        assertThat(MonitorSignals.delivered(19, sptInit))
                .as("SIGSTOP is forced by the kernel")
                .isEqualTo(19);
        assertThat(MonitorSignals.delivered(15, qemuInit)).isEqualTo(15);
        assertThat(MonitorSignals.delivered(10, qemuInit))
                .as("SIGUSR1, not caught")
                .isEqualTo(9);
        assertThat(MonitorSignals.delivered(15, hostProcess))
                .as("outside a pid namespace")
                .isEqualTo(15);
        assertThat(MonitorSignals.delivered(15, joined))
                .as("a member, not the init, of a joined one")
                .isEqualTo(15);
        assertThat(MonitorSignals.delivered(15, "Name:\told kernel without NSpid\n"))
                .isEqualTo(15);
    }
}
