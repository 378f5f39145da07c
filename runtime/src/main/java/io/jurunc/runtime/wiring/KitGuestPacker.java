package io.jurunc.runtime.wiring;

import io.jurunc.guest.GuestKit;
import io.jurunc.guest.GuestKitException;
import io.jurunc.guest.GuestLayout;
import io.jurunc.guest.GuestProcess;
import io.jurunc.guest.InitramfsCache;
import io.jurunc.guest.InitramfsException;
import io.jurunc.guest.InitramfsWriter;
import io.jurunc.guest.KernelFlavor;
import io.jurunc.runtime.ports.GuestPacker;
import io.jurunc.runtime.ports.SandboxException;
import io.jurunc.runtime.vm.KernelProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@link GuestPacker} over the guest module: the host kit's kernel and init, an initramfs per container. */
final class KitGuestPacker implements GuestPacker {
    private final Path kitDir;
    private GuestKit kit;

    KitGuestPacker(Path kitDir) {
        this.kitDir = kitDir;
    }

    private GuestKit kit() throws SandboxException {
        if (kit == null) {
            try {
                kit = GuestKit.load(kitDir);
            } catch (GuestKitException e) {
                throw new SandboxException(e.getMessage(), e);
            }
        }
        return kit;
    }

    /**
     * Packs with the rootfs archive from the {@link InitramfsCache} when the rootfs is an unchanged
     * overlay of image layers; false when it is not cacheable or the cache cannot be used (then the
     * caller packs it whole). {@code JURUNC_INITRAMFS_CACHE}: the cache directory, or {@code off};
     * {@code JURUNC_INITRAMFS_CACHE_MB}: its bound (default 1024).
     */
    private static boolean packFromCache(
            InitramfsWriter writer,
            Path rootfs,
            GuestProcess gp,
            GuestLayout layout,
            GuestKit kit,
            Optional<Path> baseInitrd,
            Path out) {
        String setting = System.getenv().getOrDefault("JURUNC_INITRAMFS_CACHE", "");
        if (setting.equals("off")) {
            return false;
        }
        try {
            Optional<String> key =
                    InitramfsCache.overlayKey(rootfs, java.nio.file.Files.readString(Path.of("/proc/self/mountinfo")));
            if (key.isEmpty()) {
                return false;
            }
            long mb = Long.parseLong(System.getenv().getOrDefault("JURUNC_INITRAMFS_CACHE_MB", "1024"));
            InitramfsCache cache =
                    new InitramfsCache(setting.isEmpty() ? InitramfsCache.DEFAULT_DIR : Path.of(setting), mb << 20);
            writer.write(cache.rootfs(rootfs, key.get(), writer), gp, layout, kit, baseInitrd, out);
            return true;
        } catch (java.io.IOException | InitramfsException | RuntimeException e) {
            // an optimisation only: an unreadable cache, an entry evicted meanwhile, a bad setting
            return false;
        }
    }

    @Override
    public PackedGuest pack(
            Path rootfs,
            Process process,
            GuestLayout layout,
            Optional<Path> ownKernel,
            Optional<Path> baseInitrd,
            Path out)
            throws SandboxException {
        GuestKit used = kitFor(ownKernel);
        GuestProcess gp = guestProcess(process);
        InitramfsWriter writer = new InitramfsWriter();
        try {
            if (!packFromCache(writer, rootfs, gp, layout, used, baseInitrd, out)) {
                writer.write(rootfs, gp, layout, used, baseInitrd, out);
            }
        } catch (InitramfsException e) {
            throw new SandboxException("cannot pack the guest initramfs: " + e.getMessage(), e);
        }
        return packed(used, out);
    }

    @Override
    public PackedGuest packBoot(Process process, GuestLayout layout, Optional<Path> ownKernel, Path out)
            throws SandboxException {
        GuestKit used = kitFor(ownKernel);
        try {
            new InitramfsWriter().writeBoot(guestProcess(process), layout, used, out);
        } catch (InitramfsException e) {
            throw new SandboxException("cannot write the guest's boot initramfs: " + e.getMessage(), e);
        }
        return packed(used, out);
    }

    /** An image's own kernel gets our init but not the kit's modules, which belong to the kit's kernel. */
    private GuestKit kitFor(Optional<Path> ownKernel) throws SandboxException {
        GuestKit base = kit();
        return ownKernel
                .map(k -> new GuestKit(base.dir(), k, KernelFlavor.STANDARD, base.init(), List.of()))
                .orElse(base);
    }

    private static GuestProcess guestProcess(Process process) throws SandboxException {
        try {
            return new GuestProcess(
                    process.args(),
                    process.env(),
                    process.cwd(),
                    process.uid(),
                    process.gid(),
                    process.additionalGids(),
                    process.hostname());
        } catch (IllegalArgumentException e) {
            throw new SandboxException("invalid process for the guest: " + e.getMessage(), e);
        }
    }

    private static PackedGuest packed(GuestKit used, Path out) {
        KernelProfile profile = used.flavor() == KernelFlavor.MICROVM ? KernelProfile.MICROVM : KernelProfile.STANDARD;
        return new PackedGuest(used.kernel(), out, profile);
    }
}
