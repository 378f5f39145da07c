package io.jurunc.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.oci.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsQueryTest {
    @TempDir
    Path tmp;

    @Test
    void v1ReadsRuncsFieldsAndUnits() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "s1", "v1");
        var f = vm.host.files;
        f.put(RunningVm.v1("cpuacct", "s1").resolve("cpuacct.usage"), "123456789\n");
        f.put(RunningVm.v1("cpuacct", "s1").resolve("cpuacct.usage_percpu"), "100000000 23456789 \n");
        f.put(RunningVm.v1("cpuacct", "s1").resolve("cpuacct.stat"), "user 7\nsystem 3\n");
        f.put(RunningVm.v1("cpu", "s1").resolve("cpu.stat"), "nr_periods 10\nnr_throttled 2\nthrottled_time 5000\n");
        Path mem = RunningVm.v1("memory", "s1");
        f.put(mem.resolve("memory.usage_in_bytes"), "50000000\n");
        f.put(mem.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
        f.put(mem.resolve("memory.max_usage_in_bytes"), "60000000\n");
        f.put(mem.resolve("memory.failcnt"), "0\n");
        f.put(mem.resolve("memory.stat"), "cache 4096\nrss 1000\ntotal_cache 4096\n");
        f.put(RunningVm.v1("pids", "s1").resolve("pids.current"), "5\n");
        f.put(RunningVm.v1("pids", "s1").resolve("pids.max"), "max\n");
        f.put(
                RunningVm.v1("blkio", "s1").resolve("blkio.throttle.io_service_bytes_recursive"),
                "8:0 Read 4096\n8:0 Write 512\nTotal 4608\n");

        ContainerStats s = new StatsQuery(vm.ctx).run("s1");
        assertThat(s.cpu().usage().total()).isEqualTo(123456789L);
        assertThat(s.cpu().usage().percpu()).containsExactly(100000000L, 23456789L);
        assertThat(s.cpu().usage().user()).isEqualTo(70_000_000L); // 7 ticks of 10 ms
        assertThat(s.cpu().usage().kernel()).isEqualTo(30_000_000L);
        assertThat(s.cpu().throttling()).isEqualTo(new ContainerStats.Throttling(10, 2, 5000));
        assertThat(s.memory().usage())
                .isEqualTo(new ContainerStats.MemoryEntry(9223372036854771712L, 50_000_000L, 60_000_000L, 0));
        assertThat(s.memory().cache()).isEqualTo(4096);
        assertThat(s.memory().raw()).containsEntry("rss", 1000L);
        assertThat(s.pids()).isEqualTo(new ContainerStats.Pids(5, 0));
        assertThat(s.blkio().ioServiceBytesRecursive())
                .containsExactly(
                        new ContainerStats.BlkioEntry(8, 0, "Read", 4096),
                        new ContainerStats.BlkioEntry(8, 0, "Write", 512));
        String json = Json.mapper().writeValueAsString(s);
        assertThat(json)
                .contains("\"usage\":{\"total\":123456789", "\"throttledPeriods\":2", "\"pids\":{\"current\":5");
    }

    @Test
    void v2ConvertsMicrosecondsAndMaxAsRuncDoes() throws Exception {
        RunningVm vm = RunningVm.start(tmp, "s2", "v2");
        Path d = RunningVm.v2("s2");
        var f = vm.host.files;
        f.put(
                d.resolve("cpu.stat"),
                "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 4\nnr_throttled 1\n"
                        + "throttled_usec 20\n");
        f.put(d.resolve("memory.current"), "1000\n");
        f.put(d.resolve("memory.max"), "max\n");
        f.put(d.resolve("memory.swap.current"), "24\n");
        f.put(d.resolve("memory.swap.max"), "0\n");
        f.put(d.resolve("memory.stat"), "anon 600\nfile 400\n");
        f.put(d.resolve("memory.events"), "low 0\nhigh 0\nmax 3\noom 0\noom_kill 0\n");
        f.put(d.resolve("pids.current"), "7\n");
        f.put(d.resolve("pids.max"), "100\n");
        f.put(d.resolve("io.stat"), "253:0 rbytes=2048 wbytes=1024 rios=2 wios=1 dbytes=0 dios=0\n");

        ContainerStats s = new StatsQuery(vm.ctx).run("s2");
        assertThat(s.cpu().usage().total()).isEqualTo(1_500_000L);
        assertThat(s.cpu().usage().user()).isEqualTo(1_000_000L);
        assertThat(s.cpu().usage().kernel()).isEqualTo(500_000L);
        assertThat(s.cpu().throttling()).isEqualTo(new ContainerStats.Throttling(4, 1, 20_000));
        assertThat(s.memory().usage().limit()).isEqualTo(ContainerStats.UNLIMITED);
        assertThat(s.memory().usage().usage()).isEqualTo(1000);
        assertThat(s.memory().usage().failcnt()).isEqualTo(3);
        assertThat(s.memory().swap().usage()).isEqualTo(1024); // memory + swap, as runc reports it on v2
        assertThat(s.memory().cache()).isEqualTo(400);
        assertThat(s.pids()).isEqualTo(new ContainerStats.Pids(7, 100));
        assertThat(s.blkio().ioServicedRecursive())
                .containsExactly(
                        new ContainerStats.BlkioEntry(253, 0, "Read", 2),
                        new ContainerStats.BlkioEntry(253, 0, "Write", 1));
    }

    @Test
    void runcsJsonIsReadBackWithTwoToTheSixtyFourClamped() throws Exception {
        String runc = """
        {"cpu":{"usage":{"total":5,"kernel":1,"user":4},"throttling":{}},
         "memory":{"usage":{"limit":18446744073709551615,"usage":10,"failcnt":0},"swap":{"limit":0,"failcnt":0}},
         "pids":{"current":1},"blkio":{},"hugetlb":{},"intel_rdt":{}}
        """;
        ContainerStats s = Json.mapper().readValue(runc, ContainerStats.class);
        assertThat(s.memory().usage().limit()).isEqualTo(ContainerStats.UNLIMITED);
        assertThat(s.cpu().usage().total()).isEqualTo(5);
        assertThat(s.pids().current()).isEqualTo(1);
    }

    @Test
    void aStoppedContainerOrOneWithoutACgroupHasNoStats() throws Exception {
        RunningVm none = RunningVm.start(tmp, "s3", "none");
        assertThatThrownBy(() -> new StatsQuery(none.ctx).run("s3"))
                .isInstanceOf(VmUnsupportedException.class)
                .hasMessageContaining("linux.cgroupsPath");
        RunningVm gone = RunningVm.start(tmp, "s4", "v1");
        gone.world.host().procs.remove(gone.pid);
        assertThatThrownBy(() -> new StatsQuery(gone.ctx).run("s4"))
                .isInstanceOf(ContainerStateException.class)
                .hasMessage("container with id s4 is not running");
    }
}
