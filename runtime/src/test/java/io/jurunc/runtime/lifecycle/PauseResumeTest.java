package io.jurunc.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.runtime.host.HostException;
import io.jurunc.runtime.ports.SandboxException;
import io.jurunc.runtime.state.ContainerStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PauseResumeTest {
    @TempDir
    Path tmp;

    @Test
    void v1FreezerAndQmpPauseAndResumeInReverseOrder() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "c1", "v1");
        vm.withQmpSocket();
        var paused = new PauseOperation(vm.ctx).run("c1");
        assertThat(paused).isEqualTo(new PauseOperation.Paused(true, true));
        Path state = RunningVm.v1("freezer", "c1").resolve("freezer.state");
        assertThat(vm.host.qmp).containsExactly("sock:stop");
        assertThat(vm.host.writes).containsExactly(state + "=FROZEN");
        assertThat(vm.recorded()).isEqualTo(ContainerStatus.PAUSED);
        assertThat(new StateQuery(vm.ctx).run("c1").status()).isEqualTo("paused");
        assertThat(new StateQuery(vm.ctx).run("c1").pid()).isEqualTo((int) vm.pid);

        new ResumeOperation(vm.ctx).run("c1");
        assertThat(vm.host.writes).containsExactly(state + "=FROZEN", state + "=THAWED");
        assertThat(vm.host.qmp).containsExactly("sock:stop", "sock:cont");
        assertThat(new StateQuery(vm.ctx).run("c1").status()).isEqualTo("running");
    }

    @Test
    void v2UsesCgroupFreezeAndWaitsForTheFrozenEvent() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "c2", "v2");
        assertThat(new PauseOperation(vm.ctx).run("c2")).isEqualTo(new PauseOperation.Paused(false, true));
        assertThat(vm.host.writes).containsExactly(RunningVm.v2("c2").resolve("cgroup.freeze") + "=1");
        assertThat(Freezer.frozen(
                        vm.host,
                        SandboxCgroup.of(vm.ctx.store().load(CreateOperation.parseId("c2")), vm.host)
                                .orElseThrow()))
                .isTrue();
        new ResumeOperation(vm.ctx).run("c2");
        assertThat(vm.host.files.get(RunningVm.v2("c2").resolve("cgroup.events")))
                .contains("frozen 0");
        assertThat(vm.host.qmp).isEmpty();
    }

    @Test
    void qmpAloneIsEnoughWithoutACgroup() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "c3", "none");
        vm.withQmpSocket();
        assertThat(new PauseOperation(vm.ctx).run("c3")).isEqualTo(new PauseOperation.Paused(true, false));
        new ResumeOperation(vm.ctx).run("c3");
        assertThat(vm.host.qmp).containsExactly("sock:stop", "sock:cont");
        assertThat(vm.recorded()).isEqualTo(ContainerStatus.RUNNING);
    }

    @Test
    void neitherQmpNorAFreezerIsATypedRefusal() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "c4", "none");
        assertThatThrownBy(() -> new PauseOperation(vm.ctx).run("c4"))
                .isInstanceOf(VmUnsupportedException.class)
                .hasMessageContaining("no QMP socket")
                .hasMessageContaining("linux.cgroupsPath");
        assertThat(vm.recorded()).isEqualTo(ContainerStatus.RUNNING);
    }

    @Test
    void runcsTextsForTheWrongStatus() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "c5", "v1");
        assertThatThrownBy(() -> new ResumeOperation(vm.ctx).run("c5"))
                .isInstanceOf(ContainerStateException.class)
                .hasMessageStartingWith("container not paused");
        new PauseOperation(vm.ctx).run("c5");
        assertThatThrownBy(() -> new PauseOperation(vm.ctx).run("c5"))
                .isInstanceOf(ContainerStateException.class)
                .hasMessageStartingWith("container not running");
        vm.world.host().procs.remove(vm.pid); // the VM is gone
        assertThatThrownBy(() -> new ResumeOperation(vm.ctx).run("c5")).hasMessageStartingWith("container not paused");
        assertThatThrownBy(() -> new PauseOperation(vm.ctx).run("c5")).hasMessageStartingWith("container not running");
    }

    @Test
    void aFreezerThatDoesNotFreezeUndoesTheQmpStop() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "c6", "v1");
        vm.withQmpSocket();
        vm.host.neverFreezes = true;
        long before = vm.host.nanoTime();
        assertThatThrownBy(() -> new PauseOperation(vm.ctx).run("c6"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("did not freeze within 2 s");
        assertThat(vm.host.nanoTime() - before)
                .as("2 s on the host's clock, none of it real")
                .isBetween(2_000_000_000L, 2_010_000_000L);
        assertThat(vm.host.writes)
                .as("written again while it reads FREEZING, as runc does")
                .hasSizeGreaterThan(1000);
        assertThat(vm.host.qmp).containsExactly("sock:stop", "sock:cont");
        assertThat(vm.recorded()).isEqualTo(ContainerStatus.RUNNING);
    }

    @Test
    void aQmpFailureLeavesTheContainerRunningAndUnfrozen() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "c7", "v1");
        vm.withQmpSocket();
        vm.host.qmpFails = true;
        assertThatThrownBy(() -> new PauseOperation(vm.ctx).run("c7")).isInstanceOf(HostException.class);
        assertThat(vm.host.writes).isEmpty();
        assertThat(vm.recorded()).isEqualTo(ContainerStatus.RUNNING);
    }

    @Test
    void aPausedContainerIsThawedBeforeAForcedDeleteKillsIt() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "c8", "v1");
        new PauseOperation(vm.ctx).run("c8");
        assertThatThrownBy(() -> new DeleteOperation(vm.ctx).run("c8", false))
                .isInstanceOf(ContainerStateException.class)
                .hasMessageContaining("it is paused");
        new DeleteOperation(vm.ctx).run("c8", true);
        Path state = RunningVm.v1("freezer", "c8").resolve("freezer.state");
        assertThat(vm.host.writes).containsExactly(state + "=FROZEN", state + "=THAWED");
        assertThat(vm.world.host().signals).containsExactly(vm.pid + ":9");
    }

    @Test
    void aKillOfAPausedVmThawsItFirstAndOtherSignalsDoNot() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "c9", "v1");
        vm.withQmpSocket();
        new PauseOperation(vm.ctx).run("c9");
        new KillOperation(vm.ctx).run("c9", 10, false); // SIGUSR1 reaches the frozen monitor later
        Path state = RunningVm.v1("freezer", "c9").resolve("freezer.state");
        assertThat(vm.host.writes).containsExactly(state + "=FROZEN");
        new KillOperation(vm.ctx).run("c9", 9, false);
        assertThat(vm.host.writes).containsExactly(state + "=FROZEN", state + "=THAWED");
        assertThat(vm.host.qmp).containsExactly("sock:stop", "sock:cont");
        assertThat(vm.world.host().signals).containsExactly(vm.pid + ":10", vm.pid + ":9");
    }
}
