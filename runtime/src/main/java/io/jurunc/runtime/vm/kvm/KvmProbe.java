package io.jurunc.runtime.vm.kvm;

import io.jurunc.runtime.vm.Accel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Decides between KVM and TCG for QEMU by a real probe, never from /dev/kvm's presence.
 *
 * <ol>
 *   <li>{@code accel = "kvm"|"tcg"} in the config decides without probing.
 *   <li>Fast path to TCG: {@code /sys/module/kvm_pvm} exists (a PVM host runs only PVM-enabled
 *       kernels), or /dev/kvm cannot be opened read-write, or the host is not x86_64.
 *   <li>A verdict cached for this boot_id and QEMU path is reused.
 *   <li>Otherwise {@link ProbeKernel}'s image is booted with {@code qemu -accel kvm -cpu host -M
 *       microvm,x-option-roms=off -m 16 ... -device isa-debug-exit}; exit status {@value
 *       ProbeKernel#EXIT_STATUS} within the timeout means KVM works, anything else (another
 *       status, a timeout, QEMU not starting) means TCG. The verdict is cached.
 * </ol>
 */
public final class KvmProbe {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final KvmHost host;
    private final ProbeRunner runner;
    private final ProbeCache cache;
    private final Path scratchDir;
    private final Duration timeout;

    public KvmProbe(KvmHost host, ProbeRunner runner, ProbeCache cache, Path scratchDir, Duration timeout) {
        this.host = host;
        this.runner = runner;
        this.cache = cache;
        this.scratchDir = scratchDir;
        this.timeout = timeout;
    }

    /** The real host, QEMU as a child process, the cache in /run/jurunc. */
    public static KvmProbe forThisHost() {
        Path dir = ProbeCache.DEFAULT.getParent();
        return new KvmProbe(
                new LinuxKvmHost(),
                new ProcessProbeRunner(dir),
                new ProbeCache(ProbeCache.DEFAULT),
                dir,
                DEFAULT_TIMEOUT);
    }

    /** The probe's QEMU argv for a given image path. */
    public static List<String> probeArgv(Path qemu, Path image) {
        return List.of(
                qemu.toString(),
                "-accel",
                "kvm",
                "-cpu",
                "host",
                "-M",
                "microvm,x-option-roms=off",
                "-m",
                "16",
                "-nodefaults",
                "-no-user-config",
                "-display",
                "none",
                "-vga",
                "none",
                "-serial",
                "none",
                "-monitor",
                "none",
                "-no-reboot",
                "-kernel",
                image.toString(),
                "-device",
                ProbeKernel.DEBUG_EXIT_DEVICE);
    }

    public ProbeVerdict decide(AccelChoice choice, Path qemu) {
        switch (choice) {
            case KVM -> {
                return new ProbeVerdict(
                        Accel.KVM, "accel = \"kvm\" in /etc/jurunc/config.toml", ProbeVerdict.Source.CONFIG);
            }
            case TCG -> {
                return new ProbeVerdict(
                        Accel.TCG, "accel = \"tcg\" in /etc/jurunc/config.toml", ProbeVerdict.Source.CONFIG);
            }
            case AUTO -> {
                // probe below
            }
        }
        if (host.pvmLoaded()) {
            return hostFact("the host's KVM module is kvm_pvm (/sys/module/kvm_pvm), which runs only PVM-enabled "
                    + "guest kernels");
        }
        Optional<String> unusable = host.kvmUnusable();
        if (unusable.isPresent()) {
            return hostFact(unusable.get());
        }
        if (!host.arch().equals("x86_64")) {
            return hostFact("no KVM probe guest for " + host.arch() + "; set accel = \"kvm\" to use KVM there");
        }
        String bootId = host.bootId();
        Optional<ProbeVerdict> cached = cache.read(bootId, qemu);
        if (cached.isPresent()) {
            return cached.get();
        }
        ProbeVerdict verdict;
        try {
            verdict = boot(qemu);
        } catch (IOException e) {
            return new ProbeVerdict(
                    Accel.TCG,
                    "could not run the KVM probe with " + qemu + ": " + e.getMessage(),
                    ProbeVerdict.Source.PROBE);
        }
        cache.write(bootId, qemu, verdict);
        return verdict;
    }

    private ProbeVerdict boot(Path qemu) throws IOException {
        Files.createDirectories(scratchDir);
        Path image = Files.createTempFile(scratchDir, "kvm-probe", ".bin");
        try {
            Files.write(image, ProbeKernel.image());
            ProbeRunner.Outcome o = runner.run(probeArgv(qemu, image), timeout);
            String output = o.output().isBlank() ? "" : "; output: " + oneLine(o.output());
            if (o.timedOut()) {
                return new ProbeVerdict(
                        Accel.TCG,
                        "a test guest did not finish under KVM within " + timeout.toMillis() + " ms" + output,
                        ProbeVerdict.Source.PROBE);
            }
            if (o.stoppedOnKvmError()) {
                return new ProbeVerdict(
                        Accel.TCG,
                        "a test guest failed under KVM after " + o.elapsed().toMillis() + " ms" + output,
                        ProbeVerdict.Source.PROBE);
            }
            if (o.exitStatus() != ProbeKernel.EXIT_STATUS) {
                return new ProbeVerdict(
                        Accel.TCG,
                        "a test guest under KVM ended with status "
                                + o.exitStatus()
                                + " instead of "
                                + ProbeKernel.EXIT_STATUS
                                + output,
                        ProbeVerdict.Source.PROBE);
            }
            return new ProbeVerdict(
                    Accel.KVM,
                    "a test guest booted under KVM in " + o.elapsed().toMillis() + " ms",
                    ProbeVerdict.Source.PROBE);
        } finally {
            Files.deleteIfExists(image);
        }
    }

    private static ProbeVerdict hostFact(String reason) {
        return new ProbeVerdict(Accel.TCG, reason, ProbeVerdict.Source.HOST);
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }
}
