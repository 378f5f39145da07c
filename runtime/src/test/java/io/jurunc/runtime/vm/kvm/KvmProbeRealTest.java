package io.jurunc.runtime.vm.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jurunc.runtime.vm.Accel;
import io.jurunc.runtime.vm.Kinds;
import io.jurunc.runtime.vm.MonitorLocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe against this machine's real QEMU and KVM. On the project's machines KVM is kvm_pvm,
 * which cannot run ordinary guests: the probe must answer TCG, quickly.
 */
class KvmProbeRealTest {
    @TempDir
    Path dir;

    private static Path qemu() throws Exception {
        return MonitorLocator.forThisHost(Map.of()).locate(Kinds.QEMU);
    }

    @Test
    void thisHost_answersTcgWithinAFewSeconds() throws Exception {
        KvmProbe probe = new KvmProbe(
                new LinuxKvmHost(),
                new ProcessProbeRunner(dir),
                new ProbeCache(dir.resolve("kvm-probe")),
                dir,
                KvmProbe.DEFAULT_TIMEOUT);
        long start = System.nanoTime();
        ProbeVerdict v = probe.decide(AccelChoice.AUTO, qemu());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(v.accel()).as(v.reason()).isEqualTo(Accel.TCG);
        assertThat(v.isFallback()).isTrue();
        assertThat(ms).isLessThan(4000);
    }

    @Test
    void realKvmBoot_withoutTheFastPath_failsOnThisPvmHost() throws Exception {
        LinuxKvmHost real = new LinuxKvmHost();
        assumeTrue(real.pvmLoaded(), "this check is about kvm_pvm hosts");
        assumeTrue(real.kvmUnusable().isEmpty(), "needs /dev/kvm to open");
        KvmHost claimsKvm = new KvmHost() {
            @Override
            public boolean pvmLoaded() {
                return false;
            }

            @Override
            public Optional<String> kvmUnusable() {
                return Optional.empty();
            }

            @Override
            public String bootId() {
                return real.bootId();
            }

            @Override
            public String arch() {
                return "x86_64";
            }
        };
        ProbeCache cache = new ProbeCache(dir.resolve("kvm-probe"));
        KvmProbe probe = new KvmProbe(claimsKvm, new ProcessProbeRunner(dir), cache, dir, KvmProbe.DEFAULT_TIMEOUT);
        long start = System.nanoTime();
        ProbeVerdict v = probe.decide(AccelChoice.AUTO, qemu());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(v.accel()).as(v.reason()).isEqualTo(Accel.TCG);
        assertThat(v.source()).isEqualTo(ProbeVerdict.Source.PROBE);
        // QEMU's words for the failure differ by host and kernel ("KVM internal error", "failed to set
        // MSR ..."): what counts is that the probe saw the guest fail, not that it ran into its timeout
        assertThat(v.reason()).startsWith("a test guest").doesNotContain("did not finish");
        assertThat(ms).isLessThan(KvmProbe.DEFAULT_TIMEOUT.toMillis());
        assertThat(cache.read(real.bootId(), qemu())).map(ProbeVerdict::accel).hasValue(Accel.TCG);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no probe image or output left behind")
                    .containsExactly("kvm-probe");
        }
    }

    @Test
    void processRunner_killsAtTheTimeout() throws Exception {
        ProbeRunner.Outcome o = new ProcessProbeRunner(dir).run(List.of("sleep", "30"), Duration.ofMillis(300));
        assertThat(o.timedOut()).isTrue();
        assertThat(o.elapsed()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void probeImage_exitsWithTheMagicStatusUnderTcg() throws Exception {
        Path image = dir.resolve("probe.bin");
        Files.write(image, ProbeKernel.image());
        List<String> argv = new ArrayList<>(KvmProbe.probeArgv(qemu(), image));
        int accel = argv.indexOf("kvm");
        argv.set(accel, "tcg");
        argv.subList(accel + 1, accel + 3).clear(); // no "-cpu host" under TCG
        ProbeRunner.Outcome o = new ProcessProbeRunner(dir).run(argv, Duration.ofSeconds(10));
        assertThat(o.timedOut()).as(o.output()).isFalse();
        assertThat(o.exitStatus()).as(o.output()).isEqualTo(ProbeKernel.EXIT_STATUS);
    }

    @Test
    void probeImage_isTheDocumentedSourceAssembled() throws Exception {
        for (String tool : List.of("as", "ld", "objcopy")) {
            assumeTrue(onPath(tool), tool + " (binutils) is needed to assemble the probe source");
        }
        Path src = dir.resolve("probe.S");
        Files.writeString(src, ProbeKernel.SOURCE);
        run(dir, "as", "--32", "-o", "probe.o", "probe.S");
        run(dir, "ld", "-m", "elf_i386", "-Ttext", "0x100000", "-o", "probe.elf", "probe.o");
        run(dir, "objcopy", "-O", "binary", "probe.elf", "probe.bin");
        assertThat(HexFormat.of().formatHex(Files.readAllBytes(dir.resolve("probe.bin"))))
                .isEqualTo(ProbeKernel.IMAGE_HEX);
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static void run(Path cwd, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}
