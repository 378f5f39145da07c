package io.jurunc.runtime.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.runtime.config.JuruncConfig;
import io.jurunc.runtime.ports.SandboxException;
import io.jurunc.runtime.ports.VmPlanner;
import io.jurunc.runtime.vm.Accel;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.HostCapacity;
import io.jurunc.runtime.vm.MonitorLocator;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.TestSpecs;
import io.jurunc.runtime.vm.kvm.AccelChoice;
import io.jurunc.runtime.vm.kvm.ProbeVerdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DefaultVmPlanner} on fixed host facts: a 2-CPU, 4 GiB host with a known TSC and a bin directory. */
class DefaultVmPlannerTest {
    private static final long GIB = 1024L * 1024 * 1024;

    @TempDir
    Path tmp;

    Path bin;
    final List<String> log = new ArrayList<>();
    final List<String> probes = new ArrayList<>();
    ProbeVerdict verdict = new ProbeVerdict(Accel.KVM, "a test guest booted under KVM", ProbeVerdict.Source.PROBE);

    @BeforeEach
    void setUp() throws Exception {
        bin = Files.createDirectories(tmp.resolve("bin"));
    }

    private final class Facts implements HostFacts {
        @Override
        public HostCapacity capacity() {
            return new HostCapacity(4 * GIB, 2);
        }

        @Override
        public OptionalLong tscKhz() {
            return OptionalLong.of(2_100_000);
        }

        @Override
        public MonitorLocator locator(Map<MonitorType, Path> configured) {
            return new MonitorLocator(configured, bin.toString(), "x86_64");
        }

        @Override
        public ProbeVerdict probeKvm(AccelChoice choice, Path qemu) {
            probes.add(choice + " " + qemu);
            return verdict;
        }
    }

    private VmPlanner planner(JuruncConfig config) {
        return new DefaultVmPlanner(config, new Facts(), log::add);
    }

    private VmPlanner planner() {
        return planner(JuruncConfig.defaults());
    }

    private Path install(String name) throws Exception {
        Path p = Files.writeString(bin.resolve(name), "#!/bin/sh\n");
        p.toFile().setExecutable(true);
        return p;
    }

    @Test
    void resourcesTakeTheConfiguredDefaultAndAreCappedByTheHostsCapacity() throws Exception {
        var r = planner().resources(GuestType.parse("unikraft"), MonitorType.parse("qemu"), 0, null, null, null, null);
        assertThat(r.memoryBytes()).isEqualTo(256_000_000L);
        assertThat(r.vcpus()).isEqualTo(1);
        assertThatThrownBy(() -> planner()
                        .resources(
                                GuestType.parse("unikraft"), MonitorType.parse("qemu"), 0, 8 * GIB, null, null, null))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("exceeds the host's MemTotal");
    }

    @Test
    void aTcgMicrovmLinuxGuestIsToldTheHostsTscFrequency() throws Exception {
        var inv = planner()
                .plan(TestSpecs.of(GuestType.parse("linux"), MonitorType.parse("qemu"))
                        .microvm()
                        .initrd()
                        .args("/bin/true")
                        .build());
        assertThat(String.join(" ", inv.argv())).contains("tsc_early_khz=2100000");
    }

    @Test
    void checkRefusesAMonitorThatNeedsKvmUnderTcg() {
        assertThatThrownBy(() -> planner()
                        .check(TestSpecs.of(GuestType.parse("unikraft"), MonitorType.parse("firecracker"))
                                .build()))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("needs working KVM");
    }

    @Test
    void checkPairNamesTheMonitorsAGuestRunsOn() {
        assertThatThrownBy(() -> planner().checkPair(GuestType.parse("rumprun"), MonitorType.parse("firecracker")))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("rumprun");
    }

    @Test
    void aMonitorWithoutKvmNeedsNoProbe() throws Exception {
        assertThat(planner().accel(MonitorType.parse("spt"))).isEqualTo(Accel.TCG);
        assertThat(probes).isEmpty();
    }

    @Test
    void qemuAsksTheProbeWithItsBinaryAndAFallbackIsLogged() throws Exception {
        Path qemu = install("qemu-system-x86_64");
        verdict = new ProbeVerdict(Accel.TCG, "/dev/kvm cannot be opened", ProbeVerdict.Source.HOST);
        assertThat(planner().accel(MonitorType.parse("qemu"))).isEqualTo(Accel.TCG);
        assertThat(probes).containsExactly("AUTO " + qemu);
        assertThat(log).anyMatch(l -> l.contains("falling back to TCG") && l.contains("/dev/kvm cannot be opened"));
    }

    @Test
    void withoutQemuToProbeWithAnotherMonitorTrustsKvmAndQemuItselfIsAnError() throws Exception {
        assertThat(planner().accel(MonitorType.parse("firecracker"))).isEqualTo(Accel.KVM);
        assertThat(probes).isEmpty();
        assertThat(log).anyMatch(l -> l.contains("no QEMU to probe KVM with"));
        assertThatThrownBy(() -> planner().accel(MonitorType.parse("qemu")))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("qemu-system-x86_64");
    }

    @Test
    void aConfiguredMonitorPathWinsOverTheSearchPath() throws Exception {
        install("firecracker");
        Path own = Files.writeString(tmp.resolve("my-firecracker"), "#!/bin/sh\n");
        own.toFile().setExecutable(true);
        JuruncConfig d = JuruncConfig.defaults();
        JuruncConfig config = new JuruncConfig(
                d.logLevel(),
                d.timestamps(),
                d.timestampsDestination(),
                d.runc(),
                d.accel(),
                d.kitDir(),
                d.maxMemoryMb(),
                d.debugGuest(),
                Map.of(
                        MonitorType.parse("firecracker"),
                        new JuruncConfig.MonitorSettings(Optional.of(own), 256, 1, Optional.empty(), false)),
                d.vaccelAgentAddress(),
                d.sandbox());
        assertThat(planner(config).monitorBinary(MonitorType.parse("firecracker")))
                .isEqualTo(own);
        assertThat(planner().monitorBinary(MonitorType.parse("firecracker"))).isEqualTo(bin.resolve("firecracker"));
    }
}
