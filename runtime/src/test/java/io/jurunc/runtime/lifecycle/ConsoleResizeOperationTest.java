package io.jurunc.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's side of the console size; ExecRelayTest runs the relay against the guest's exec server. */
class ConsoleResizeOperationTest {
    @TempDir
    Path tmp;

    @Test
    void theRelayGetsTheSizeAndEveryPortInOrder() {
        Path state = Path.of("/run/jurunc/c1");
        assertThat(ConsoleResizeOperation.argv(
                        Path.of("/opt/jurunc/libexec/jurunc-exec-relay"),
                        new ConsoleResizeOperation.ConsoleSize(30, 100),
                        ExecChannel.ports(state, 2)))
                .containsExactly(
                        "/opt/jurunc/libexec/jurunc-exec-relay",
                        "--console-size",
                        "30",
                        "100",
                        "/run/jurunc/c1/qmp/exec0",
                        "/run/jurunc/c1/exec0.lock",
                        "/run/jurunc/c1/qmp/exec1",
                        "/run/jurunc/c1/exec1.lock");
    }

    @Test
    void aSizeOutsideWhatTiocswinszTakesIsRefused() {
        assertThat(new ConsoleResizeOperation.ConsoleSize(1, 65535).cols()).isEqualTo(65535);
        for (int[] bad : new int[][] {{0, 80}, {24, 0}, {65536, 80}, {24, -1}}) {
            assertThatThrownBy(() -> new ConsoleResizeOperation.ConsoleSize(bad[0], bad[1]))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aVmWithoutExecPortsHasNoChannelAndNothingRuns() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "c1", "none");
        assertThat(ExecChannel.planned(
                        vm.ctx.store().load(CreateOperation.parseId("c1")).monitorArgv()))
                .isZero();
        assertThat(new ConsoleResizeOperation(vm.ctx).run("c1", new ConsoleResizeOperation.ConsoleSize(30, 100)))
                .isEqualTo(ConsoleResizeOperation.Outcome.NO_CHANNEL);
        assertThat(List.copyOf(vm.world.host().hooks)).isEmpty();
    }
}
