package io.jurunc.runtime.vm.kvm;

import io.jurunc.runtime.vm.Accel;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The probe's verdict for this host boot, in a small properties file (default {@code
 * /run/jurunc/kvm-probe}, on tmpfs) keyed by boot_id and the QEMU path. Unreadable or stale
 * entries are ignored; a write that fails leaves the verdict uncached.
 */
public final class ProbeCache {
    public static final Path DEFAULT = Path.of("/run/jurunc/kvm-probe");

    private final Path file;

    public ProbeCache(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public Optional<ProbeVerdict> read(String bootId, Path qemu) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!bootId.equals(p.getProperty("boot_id")) || !qemu.toString().equals(p.getProperty("qemu"))) {
            return Optional.empty();
        }
        try {
            Accel accel = Accel.valueOf(p.getProperty("accel", "").toUpperCase(Locale.ROOT));
            return Optional.of(new ProbeVerdict(
                    accel,
                    p.getProperty("reason", "") + " (cached for boot " + bootId + ")",
                    ProbeVerdict.Source.CACHE));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Stores a verdict; returns false when it could not be written. */
    public boolean write(String bootId, Path qemu, ProbeVerdict verdict) {
        String text = "boot_id="
                + escape(bootId)
                + "\nqemu="
                + escape(qemu.toString())
                + "\naccel="
                + verdict.accel().name().toLowerCase(Locale.ROOT)
                + "\nreason="
                + escape(verdict.reason())
                + "\n";
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), ".kvm-probe", ".tmp");
            Files.writeString(tmp, text);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the verdict stays uncached; nothing else to undo
                }
            }
            return false;
        }
    }

    /** Properties-file escaping for a value on one line. */
    private static String escape(String value) {
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
