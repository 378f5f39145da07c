package io.jurunc.runtime.ports;

import io.jurunc.guest.GuestLayout;
import io.jurunc.runtime.vm.KernelProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Turns a Linux container rootfs into what the guest boots: kernel + initramfs with our init. */
public interface GuestPacker {
    /**
     * @param ownKernel the image's own kernel, if it brings one; else the host kit's default
     * @param baseInitrd the image's own initrd, if any; our archive is appended to it
     */
    PackedGuest pack(
            Path rootfs,
            Process process,
            GuestLayout layout,
            Optional<Path> ownKernel,
            Optional<Path> baseInitrd,
            Path out)
            throws SandboxException;

    /**
     * A boot-only initramfs (our init, the process and {@code layout}, no rootfs): the init mounts
     * {@code layout.root()} (a block device or a 9p share) and switches to it.
     */
    PackedGuest packBoot(Process process, GuestLayout layout, Optional<Path> ownKernel, Path out)
            throws SandboxException;

    record Process(
            List<String> args,
            List<String> env,
            String cwd,
            int uid,
            int gid,
            List<Integer> additionalGids,
            String hostname) {}

    record PackedGuest(Path kernel, Path initrd, KernelProfile profile) {}
}
