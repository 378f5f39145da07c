package io.jurunc.runtime.vm.kvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** {@link KvmHost} from /sys, /dev and /proc. */
public final class LinuxKvmHost implements KvmHost {
    static final Path PVM_MODULE = Path.of("/sys/module/kvm_pvm");
    static final Path DEV_KVM = Path.of("/dev/kvm");
    static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    @Override
    public boolean pvmLoaded() {
        return Files.exists(PVM_MODULE);
    }

    @Override
    public Optional<String> kvmUnusable() {
        try (FileChannel ignored = FileChannel.open(DEV_KVM, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.of("cannot open " + DEV_KVM + " read-write: " + e);
        }
    }

    @Override
    public String bootId() {
        try {
            return Files.readString(BOOT_ID).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BOOT_ID, e);
        }
    }

    @Override
    public String arch() {
        String a = System.getProperty("os.arch");
        return a.equals("amd64") ? "x86_64" : a;
    }
}
