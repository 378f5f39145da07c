package io.jurunc.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.runtime.host.Stdio;
import io.jurunc.runtime.ports.SandboxException;
import io.jurunc.runtime.state.ContainerId;
import io.jurunc.runtime.state.ContainerStatus;
import io.jurunc.runtime.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start's waits on the fake host's clock: the waiter getting ready, and the monitor's exec after the
 * release, with each way they end. No test sleeps: the clock advances only when start waits.
 */
class StartOperationTest {
    @TempDir
    Path tmp;

    Path root;
    Path bundle;
    Fakes.World w;

    @BeforeEach
    void setUp() throws Exception {
        root = tmp.resolve("root");
        bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.writeString(bundle.resolve("config.json"), """
        {"ociVersion":"1.0.2","process":{"args":["/bin/echo"],"cwd":"/"},"root":{"path":"rootfs"},
         "annotations":{"com.urunc.unikernel.unikernelType":"linux","com.urunc.unikernel.hypervisor":"qemu"}}
        """);
        w = Fakes.world(root);
    }

    private long create(String id) throws Exception {
        return new CreateOperation(w.ctx())
                .run(new CreateRequest(id, Bundle.load(bundle), Optional.empty(), Optional.empty(), Stdio.INHERIT))
                .record()
                .pid();
    }

    private long elapsedNanos(long from) {
        return w.host().now - from;
    }

    @Test
    void aMonitorExecdAfterTheReleaseIsRunning() throws Exception {
        long pid = create("s1");
        assertThat(w.host().cmdline(pid)).contains(WaiterCommand.MARKER);
        new StartOperation(w.ctx()).run("s1");
        assertThat(w.host().cmdline(pid)).containsExactly("/usr/bin/fake-monitor");
        assertThat(new StateQuery(w.ctx()).run("s1").status()).isEqualTo("running");
        assertThat(w.host().sleeps).isZero(); // ready, released and exec'd at the first look
    }

    @Test
    void aMonitorThatExitsAtOnceFailsStartNamingItsArgvAndRemovesTheTap() throws Exception {
        create("s2");
        w.host().onRelease = Fakes.OnRelease.EXIT;
        assertThatThrownBy(() -> new StartOperation(w.ctx()).run("s2"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("the monitor of container 's2' exited at once")
                .hasMessageContaining("/usr/bin/fake-monitor -kernel");
        assertThat(w.network().calls).last().asString().startsWith("teardown ");
        assertThat(new StateQuery(w.ctx()).run("s2").status()).isEqualTo("stopped");
    }

    @Test
    void aMonitorThatWasExecdAndExitedAtOnceIsAStartedContainerWhoseExitIsItsStatus() throws Exception {
        create("s2b");
        w.host().onRelease = Fakes.OnRelease.EXIT;
        // what the sandbox init writes once the monitor was exec'd (Solo5's hello exits within milliseconds)
        java.nio.file.Files.writeString(
                w.ctx().store().dir(CreateOperation.parseId("s2b")).resolve(StartOperation.EXECD), "1");
        assertThat(new StartOperation(w.ctx()).run("s2b").status()).isEqualTo(ContainerStatus.RUNNING);
    }

    @Test
    void aWaiterThatNeverExecsTheMonitorFailsStartAfterFiveSecondsOfItsClock() throws Exception {
        create("s3");
        w.host().onRelease = Fakes.OnRelease.HANG;
        long before = w.host().now;
        assertThatThrownBy(() -> new StartOperation(w.ctx()).run("s3"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("the monitor did not start within 5 s");
        assertThat(elapsedNanos(before)).isBetween(5_000_000_000L, 5_001_000_000L);
        assertThat(w.network().calls).last().asString().startsWith("teardown ");
    }

    @Test
    void aWaiterThatDiesBeforeItIsReadyIsReportedGoneByReason() throws Exception {
        w.host().waiterNeverReady = true;
        long pid = create("s4");
        w.host().onSleep = () -> w.host().procs.remove(pid);
        assertThatThrownBy(() -> new StartOperation(w.ctx()).run("s4"))
                .isInstanceOfSatisfying(
                        ContainerStateException.class,
                        e -> assertThat(e.waiterGone()).isTrue());
        assertThat(w.host().sleeps).isEqualTo(1);
        assertThat(w.network().calls).isEmpty();
    }

    @Test
    void aWaiterThatNeverGetsReadyFailsStartAfterFiveSecondsOfItsClock() throws Exception {
        // before: this waited 5 s of real time
        w.host().waiterNeverReady = true;
        create("s5");
        long before = w.host().now;
        assertThatThrownBy(() -> new StartOperation(w.ctx()).run("s5"))
                .isInstanceOfSatisfying(
                        ContainerStateException.class,
                        e -> assertThat(e.waiterGone()).isFalse())
                .hasMessageContaining("did not enter its namespaces within 5 s");
        assertThat(elapsedNanos(before)).isBetween(5_000_000_000L, 5_001_000_000L);
    }

    @Test
    void aFifoNotYetOpenedIsPokedAgainUntilTheWaiterReadsIt() throws Exception {
        create("s6");
        w.host().unreadyPokes = 3;
        new StartOperation(w.ctx()).run("s6");
        assertThat(w.host().pokes).hasSize(4);
        assertThat(w.host().sleeps).isEqualTo(3);
        assertThat(new StateQuery(w.ctx()).run("s6").status()).isEqualTo("running");
    }

    @Test
    void theStartOfAContainerAnEarlierVersionCreatedIsRefusedByReasonAndDeleteStillFreesItsCid() throws Exception {
        long pid = create("s7");
        Path record = root.resolve("s7/jurunc.json");
        // the record as the previous version wrote it: its VM plan under "vm", with the CID it holds
        String json = Files.readString(record);
        String plan = json.substring(json.indexOf("\"plan\":"), json.indexOf(",\"sandbox\""));
        Files.writeString(
                record, json.replace(plan, "\"vm\":{\"containerId\":\"s7\",\"vsockCid\":7,\"solo5NetDev\":null}"));
        Path cid = w.ctx().config().sandbox().idsDir().resolve(MonitorConfinement.CID_KIND + "/7");
        Files.createDirectories(cid.getParent());
        Files.writeString(cid, "s7");

        assertThat(new StateStore(root).load(new ContainerId("s7")).fromEarlierVersion())
                .isTrue();
        assertThatThrownBy(() -> new StartOperation(w.ctx()).run("s7"))
                .isInstanceOfSatisfying(
                        ContainerStateException.class,
                        e -> assertThat(e.reason()).isEqualTo(ContainerStateException.Reason.EARLIER_VERSION))
                .hasMessageContaining("earlier jurunc version");
        assertThat(w.network().calls).isEmpty();

        new DeleteOperation(w.ctx()).run("s7", false);
        assertThat(w.host().signals).contains(pid + ":9");
        assertThat(cid).doesNotExist();
        assertThat(root.resolve("s7")).doesNotExist();
    }
}
