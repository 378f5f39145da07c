package io.jurunc.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdateOperationTest {
    @TempDir
    Path tmp;

    private static ResourceUpdate json(String s) throws Exception {
        return ResourceUpdate.fromJson(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void v1Files(RunningVm vm, long usage) {
        var f = vm.host.files;
        for (String n : new String[] {"cpu.cfs_quota_us", "cpu.cfs_period_us", "cpu.shares"}) {
            f.put(RunningVm.v1("cpu", vm.id).resolve(n), "0\n");
        }
        f.put(RunningVm.v1("memory", vm.id).resolve("memory.limit_in_bytes"), "400000000\n");
        f.put(RunningVm.v1("memory", vm.id).resolve("memory.soft_limit_in_bytes"), "0\n");
        f.put(RunningVm.v1("memory", vm.id).resolve("memory.usage_in_bytes"), usage + "\n");
        f.put(RunningVm.v1("pids", vm.id).resolve("pids.max"), "max\n");
    }

    @Test
    void v1AppliesCpuMemoryAndPidsLive() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "u1", "v1");
        v1Files(vm, 100_000_000L);
        var written = new UpdateOperation(vm.ctx).run("u1", json("""
        {"cpu":{"quota":50000,"period":100000,"shares":512},"memory":{"limit":536870912},"pids":{"limit":64}}"""));
        Path cpu = RunningVm.v1("cpu", "u1");
        assertThat(vm.host.writes)
                .containsExactly(
                        cpu.resolve("cpu.cfs_period_us") + "=100000",
                        cpu.resolve("cpu.cfs_quota_us") + "=50000",
                        cpu.resolve("cpu.shares") + "=512",
                        RunningVm.v1("memory", "u1").resolve("memory.limit_in_bytes") + "=536870912",
                        RunningVm.v1("pids", "u1").resolve("pids.max") + "=64");
        assertThat(written).hasSize(5);
    }

    @Test
    void v2WritesCpuMaxAndConvertsSharesToWeight() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "u2", "v2");
        Path d = RunningVm.v2("u2");
        vm.host.files.put(d.resolve("cpu.max"), "max 100000\n");
        vm.host.files.put(d.resolve("cpu.weight"), "100\n");
        vm.host.files.put(d.resolve("memory.max"), "max\n");
        vm.host.files.put(d.resolve("memory.current"), "1000\n");
        vm.host.files.put(d.resolve("pids.max"), "max\n");
        new UpdateOperation(vm.ctx).run("u2", json("""
        {"cpu":{"quota":25000,"shares":1024},"memory":{"limit":-1},"pids":{"limit":0}}"""));
        assertThat(vm.host.writes)
                .containsExactly(
                        d.resolve("cpu.max") + "=25000 100000",
                        d.resolve("cpu.weight") + "=39",
                        d.resolve("memory.max") + "=max",
                        d.resolve("pids.max") + "=max");
    }

    @Test
    void whatABootedVmCannotChangeIsRefusedBeforeAnythingIsWritten() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "u3", "v1");
        v1Files(vm, 1000);
        assertThatThrownBy(() -> new UpdateOperation(vm.ctx).run("u3", json("""
        {"cpu":{"quota":50000,"cpus":"0-3"},"memory":{"kernel":1000},"hugepageLimits":[{"pageSize":"2MB","limit":1}]}""")))
                .isInstanceOf(VmUnsupportedException.class)
                .hasMessageContaining("cpu.cpus")
                .hasMessageContaining("memory.kernel")
                .hasMessageContaining("hugepageLimits")
                .hasMessageContaining("fixed at boot");
        assertThat(vm.host.writes).isEmpty();
    }

    @Test
    void theMemoryLimitMustCoverTheGuestRamAndTheCurrentUsage() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "u4", "v1");
        v1Files(vm, 300_000_000L);
        assertThatThrownBy(() -> new UpdateOperation(vm.ctx).run("u4", json("{\"memory\":{\"limit\":67108864}}")))
                .isInstanceOf(VmUnsupportedException.class)
                .hasMessageContaining("below the guest's RAM (" + RunningVm.GUEST_RAM);
        assertThatThrownBy(() -> new UpdateOperation(vm.ctx).run("u4", json("{\"memory\":{\"limit\":200000000}}")))
                .isInstanceOf(ContainerStateException.class)
                .hasMessageContaining("below the current usage (300000000");
        assertThat(vm.host.writes).isEmpty();
        new UpdateOperation(vm.ctx).run("u4", json("{\"memory\":{\"limit\":400000000,\"swap\":400000000}}"));
        assertThat(vm.host.writes)
                .containsExactly(RunningVm.v1("memory", "u4").resolve("memory.limit_in_bytes") + "=400000000");
    }

    @Test
    void emptyRequestsMalformedJsonAndStoppedContainers() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "u5", "none");
        assertThat(new UpdateOperation(vm.ctx).run("u5", json("{}"))).isEmpty();
        assertThat(new UpdateOperation(vm.ctx).run("u5", json(""))).isEmpty();
        assertThatThrownBy(() -> new UpdateOperation(vm.ctx).run("u5", json("{\"pids\":{\"limit\":10}}")))
                .isInstanceOf(VmUnsupportedException.class)
                .hasMessageContaining("no cgroup");
        assertThatThrownBy(() -> json("{\"memory\":{\"limit\":\"lots\"}}"))
                .isInstanceOf(InvalidResourcesException.class);
        assertThatThrownBy(() -> json("[1]")).isInstanceOf(InvalidResourcesException.class);
        vm.world.host().procs.remove(vm.pid);
        assertThatThrownBy(() -> new UpdateOperation(vm.ctx).run("u5", json("{\"pids\":{\"limit\":10}}")))
                .isInstanceOf(ContainerStateException.class)
                .hasMessageStartingWith("container not running");
    }
}
