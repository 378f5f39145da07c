package io.jurunc.runtime.vm.mount;

import io.jurunc.guest.GuestMount;
import io.jurunc.runtime.vm.MountException;
import io.jurunc.runtime.vm.MountException.Reason;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Mount points in a rootfs the guest gets over virtio-9p ({@code mountRootfs=true}): there the guest
 * accesses the rootfs with the monitor's uid and cannot create them in root-owned directories, so
 * {@code create} makes them on the host, as runc creates mount destinations in the rootfs: the
 * directories {@code /proc}, {@code /sys}, {@code /dev} and every mount's destination (an empty file
 * for a file mount), with their parents. A path through a symlink is left alone (the guest resolves
 * it), so nothing is ever created outside the rootfs.
 */
public final class RootfsMountPoints {
    private static final List<String> KERNEL_DIRS = List.of("/proc", "/sys", "/dev");

    private RootfsMountPoints() {}

    /** Creates what is missing; returns the paths it created (relative to the rootfs). */
    public static List<String> prepare(Path rootfs, List<GuestMount> mounts) throws MountException {
        List<String> created = new ArrayList<>();
        for (String d : KERNEL_DIRS) create(rootfs, d, false, created);
        for (GuestMount m : mounts) create(rootfs, m.destination(), m.type() == GuestMount.Type.FILE, created);
        return created;
    }

    private static void create(Path rootfs, String destination, boolean file, List<String> created)
            throws MountException {
        Path rel = Path.of(destination.substring(1)).normalize();
        if (rel.toString().isEmpty() || rel.startsWith("..")) return;
        Path at = rootfs;
        try {
            for (int i = 0; i < rel.getNameCount(); i++) {
                at = at.resolve(rel.getName(i).toString());
                boolean last = i == rel.getNameCount() - 1;
                if (Files.isSymbolicLink(at)) return; // the guest resolves it inside its own root
                if (Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                    if (!last && !Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) return; // the guest reports it
                    continue;
                }
                if (last && file) {
                    Files.createFile(
                            at, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
                } else {
                    Files.createDirectory(at);
                    Files.setPosixFilePermissions(at, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
                created.add(rootfs.relativize(at).toString());
            }
        } catch (FileAlreadyExistsException e) {
            // made meanwhile: fine
        } catch (IOException e) {
            throw new MountException(
                    Reason.INVALID,
                    destination,
                    "cannot create the mount point in the shared rootfs " + rootfs + ": " + e.getMessage());
        }
    }
}
