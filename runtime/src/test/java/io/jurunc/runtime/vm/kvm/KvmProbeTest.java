package io.jurunc.runtime.vm.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.runtime.vm.Accel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link KvmProbe} with a fake host and a recording probe runner. */
class KvmProbeTest {
    private static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");

    @TempDir
    Path dir;

    private FakeHost host;
    private RecordingRunner runner;
    private ProbeCache cache;

    static final class FakeHost implements KvmHost {
        boolean pvm;
        Optional<String> unusable = Optional.empty();
        String bootId = "boot-1";
        String arch = "x86_64";

        @Override
        public boolean pvmLoaded() {
            return pvm;
        }

        @Override
        public Optional<String> kvmUnusable() {
            return unusable;
        }

        @Override
        public String bootId() {
            return bootId;
        }

        @Override
        public String arch() {
            return arch;
        }
    }

    /** Records each run's argv and the image it was given; answers with a scripted outcome. */
    static final class RecordingRunner implements ProbeRunner {
        final List<List<String>> calls = new ArrayList<>();
        final List<byte[]> images = new ArrayList<>();
        Outcome outcome;
        IOException failure;

        @Override
        public Outcome run(List<String> argv, Duration timeout) throws IOException {
            calls.add(argv);
            Path image = Path.of(argv.get(argv.indexOf("-kernel") + 1));
            images.add(Files.readAllBytes(image));
            if (failure != null) {
                throw failure;
            }
            return outcome;
        }
    }

    @BeforeEach
    void setUp() {
        host = new FakeHost();
        runner = new RecordingRunner();
        cache = new ProbeCache(dir.resolve("cache/kvm-probe"));
    }

    private KvmProbe probe() {
        return new KvmProbe(host, runner, cache, dir.resolve("scratch"), Duration.ofSeconds(2));
    }

    private static ProbeRunner.Outcome exited(int status, String output) {
        return new ProbeRunner.Outcome(false, status, output, Duration.ofMillis(60));
    }

    @Test
    void configChoice_decidesWithoutProbing() {
        host.pvm = true;
        assertThat(probe().decide(AccelChoice.KVM, QEMU))
                .isEqualTo(new ProbeVerdict(
                        Accel.KVM, "accel = \"kvm\" in /etc/jurunc/config.toml", ProbeVerdict.Source.CONFIG));
        ProbeVerdict tcg = probe().decide(AccelChoice.TCG, QEMU);
        assertThat(tcg.accel()).isEqualTo(Accel.TCG);
        assertThat(tcg.isFallback()).isFalse();
        assertThat(runner.calls).isEmpty();
    }

    @Test
    void pvmHost_isTcgWithoutProbing() {
        host.pvm = true;
        ProbeVerdict v = probe().decide(AccelChoice.AUTO, QEMU);
        assertThat(v.accel()).isEqualTo(Accel.TCG);
        assertThat(v.source()).isEqualTo(ProbeVerdict.Source.HOST);
        assertThat(v.reason()).contains("kvm_pvm");
        assertThat(v.isFallback()).isTrue();
        assertThat(runner.calls).isEmpty();
    }

    @Test
    void unopenableDevKvm_isTcgWithoutProbing() {
        host.unusable = Optional.of("cannot open /dev/kvm read-write: AccessDeniedException");
        ProbeVerdict v = probe().decide(AccelChoice.AUTO, QEMU);
        assertThat(v.accel()).isEqualTo(Accel.TCG);
        assertThat(v.reason()).startsWith("cannot open /dev/kvm");
        assertThat(runner.calls).isEmpty();
    }

    @Test
    void otherArchitecture_isTcgWithoutProbing() {
        host.arch = "aarch64";
        assertThat(probe().decide(AccelChoice.AUTO, QEMU).reason()).contains("aarch64");
        assertThat(runner.calls).isEmpty();
    }

    @Test
    void probeGuestExitsWithTheMagicStatus_isKvm_andIsCachedForThisBoot() throws Exception {
        runner.outcome = exited(ProbeKernel.EXIT_STATUS, "");
        ProbeVerdict v = probe().decide(AccelChoice.AUTO, QEMU);
        assertThat(v.accel()).isEqualTo(Accel.KVM);
        assertThat(v.source()).isEqualTo(ProbeVerdict.Source.PROBE);
        assertThat(v.reason()).isEqualTo("a test guest booted under KVM in 60 ms");

        List<String> argv = runner.calls.getFirst();
        Path image = Path.of(argv.get(argv.indexOf("-kernel") + 1));
        assertThat(argv).isEqualTo(KvmProbe.probeArgv(QEMU, image));
        assertThat(argv).containsSequence("-accel", "kvm", "-cpu", "host");
        assertThat(image.getParent()).isEqualTo(dir.resolve("scratch"));
        assertThat(runner.images.getFirst()).isEqualTo(ProbeKernel.image());
        assertThat(image).doesNotExist();

        ProbeVerdict again = probe().decide(AccelChoice.AUTO, QEMU);
        assertThat(again.accel()).isEqualTo(Accel.KVM);
        assertThat(again.source()).isEqualTo(ProbeVerdict.Source.CACHE);
        assertThat(again.reason()).startsWith("a test guest booted under KVM in 60 ms (cached for boot boot-1)");
        assertThat(runner.calls).hasSize(1);
    }

    @Test
    void probeGuestCrashes_isTcgWithQemusOutput() {
        runner.outcome = exited(1, "KVM internal error. Suberror: 1\nemulation failure");
        ProbeVerdict v = probe().decide(AccelChoice.AUTO, QEMU);
        assertThat(v.accel()).isEqualTo(Accel.TCG);
        assertThat(v.reason())
                .isEqualTo("a test guest under KVM ended with status 1 instead of 85; output: "
                        + "KVM internal error. Suberror: 1 emulation failure");
    }

    @Test
    void qemuReportsAKvmFailure_isTcg() {
        runner.outcome =
                new ProbeRunner.Outcome(false, -1, "KVM internal error. Suberror: 1", Duration.ofMillis(90), true);
        ProbeVerdict v = probe().decide(AccelChoice.AUTO, QEMU);
        assertThat(v.accel()).isEqualTo(Accel.TCG);
        assertThat(v.reason())
                .isEqualTo("a test guest failed under KVM after 90 ms; output: KVM internal error. Suberror: 1");
    }

    @Test
    void probeGuestHangs_isTcgAfterTheTimeout_andIsCached() {
        runner.outcome = new ProbeRunner.Outcome(true, -1, "", Duration.ofSeconds(2));
        ProbeVerdict v = probe().decide(AccelChoice.AUTO, QEMU);
        assertThat(v.accel()).isEqualTo(Accel.TCG);
        assertThat(v.reason()).isEqualTo("a test guest did not finish under KVM within 2000 ms");
        assertThat(probe().decide(AccelChoice.AUTO, QEMU).source()).isEqualTo(ProbeVerdict.Source.CACHE);
        assertThat(runner.calls).hasSize(1);
    }

    @Test
    void qemuCannotStart_isTcgAndNotCached() {
        runner.failure = new IOException("No such file or directory");
        ProbeVerdict v = probe().decide(AccelChoice.AUTO, QEMU);
        assertThat(v.accel()).isEqualTo(Accel.TCG);
        assertThat(v.reason()).contains("could not run the KVM probe", "No such file");
        probe().decide(AccelChoice.AUTO, QEMU);
        assertThat(runner.calls).hasSize(2);
    }

    @Test
    void cache_isKeyedByBootIdAndQemuPath() throws Exception {
        runner.outcome = exited(ProbeKernel.EXIT_STATUS, "");
        probe().decide(AccelChoice.AUTO, QEMU);
        host.bootId = "boot-2";
        runner.outcome = exited(0, "");
        assertThat(probe().decide(AccelChoice.AUTO, QEMU).accel()).isEqualTo(Accel.TCG);
        assertThat(probe().decide(AccelChoice.AUTO, Path.of("/opt/qemu")).source())
                .isEqualTo(ProbeVerdict.Source.PROBE);
        assertThat(runner.calls).hasSize(3);
        assertThat(Files.readString(cache.file())).contains("boot_id=boot-2", "qemu=/opt/qemu", "accel=tcg");
    }

    @Test
    void corruptCache_isIgnored() throws Exception {
        Files.createDirectories(cache.file().getParent());
        Files.writeString(cache.file(), "boot_id=boot-1\nqemu=" + QEMU + "\naccel=maybe\n");
        runner.outcome = exited(ProbeKernel.EXIT_STATUS, "");
        assertThat(probe().decide(AccelChoice.AUTO, QEMU).source()).isEqualTo(ProbeVerdict.Source.PROBE);
    }

    @Test
    void unwritableCache_stillAnswers() throws Exception {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "x");
        cache = new ProbeCache(blocker.resolve("kvm-probe"));
        runner.outcome = exited(ProbeKernel.EXIT_STATUS, "");
        assertThat(probe().decide(AccelChoice.AUTO, QEMU).accel()).isEqualTo(Accel.KVM);
        assertThat(cache.write("b", QEMU, new ProbeVerdict(Accel.KVM, "r", ProbeVerdict.Source.PROBE)))
                .isFalse();
    }

    @Test
    void accelChoice_parse() {
        assertThat(AccelChoice.parse("auto")).isEqualTo(AccelChoice.AUTO);
        assertThat(AccelChoice.parse(null)).isEqualTo(AccelChoice.AUTO);
        assertThat(AccelChoice.parse(" KVM ")).isEqualTo(AccelChoice.KVM);
        assertThat(AccelChoice.parse("tcg")).isEqualTo(AccelChoice.TCG);
        assertThatThrownBy(() -> AccelChoice.parse("hvf"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected \"auto\", \"kvm\" or \"tcg\"");
    }
}
