package io.jurunc.runtime.vm.mount;

import io.jurunc.guest.GuestMount;
import io.jurunc.oci.Spec;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.MountException;
import io.jurunc.runtime.vm.MountException.Reason;
import io.jurunc.runtime.vm.SharedDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns {@code spec.mounts} into a {@link MountPlan} (docs/runtime.md, "Mounts"):
 *
 * <ul>
 *   <li>the standard kernel filesystems ({@code /proc}, {@code /dev}, {@code /dev/pts}, {@code
 *       /dev/shm}, {@code /dev/mqueue}, {@code /sys}, {@code /sys/fs/cgroup}, and any proc, sysfs,
 *       devpts, mqueue or cgroup mount) are left out: the guest kernel has its own and the init
 *       mounts them;
 *   <li>Linux on QEMU: a bind mount of a directory becomes a virtio-9p share of its own ({@code
 *       m0}, {@code m1}…), read-only in the monitor with {@code ro}; bind mounts of files all go
 *       into one share ({@code files}), each file bound alone (read-only where asked) into it, and
 *       the init binds each file on its destination; a tmpfs becomes a tmpfs the init mounts;
 *   <li>Linux on other monitors: tmpfs as above; a bind mount is refused ({@link Reason#UNSUPPORTED})
 *       except the files the CRI always adds ({@link #CRI_FILES}), which are skipped with a note;
 *   <li>unikernels: bind mounts are refused the same way, the CRI's files and tmpfs mounts skipped.
 * </ul>
 *
 * Mount sources are not given to the monitor's user: its uid must be able to read (and, for a
 * read-write mount, write) them on the host; see docs/security.md.
 */
public final class MountPlanner {
    /** Destinations the guest kernel and init provide themselves. */
    public static final Set<String> STANDARD =
            Set.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup");

    private static final Set<String> KERNEL_TYPES =
            Set.of("proc", "sysfs", "devpts", "mqueue", "cgroup", "cgroup2", "devtmpfs");
    /** Files the CRI (containerd, CRI-O) binds into every container of a pod. */
    public static final Set<String> CRI_FILES =
            Set.of("/etc/hosts", "/etc/resolv.conf", "/etc/hostname", "/dev/termination-log");

    private static final Set<String> TMPFS_DATA = Set.of("size", "mode", "uid", "gid", "nr_inodes", "nr_blocks");
    private static final Set<String> FLAGS = Set.of("nosuid", "nodev", "noexec");
    /** The share holding all file bind mounts. */
    public static final String FILES_TAG = "files";

    private MountPlanner() {}

    public static MountPlan plan(List<Spec.Mount> mounts, GuestType guest, MonitorType monitor) throws MountException {
        boolean linux = guest.runsJuruncInit(); // its init mounts what the spec asks
        boolean shares = guest.mountsShares() && monitor.sharesDirectories();
        List<SharedDir> dirs = new ArrayList<>();
        List<SharedDir.Bind> files = new ArrayList<>();
        boolean filesReadOnly = true;
        List<GuestMount> guestMounts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Spec.Mount m : mounts) {
            String dst = destination(m);
            String type = m.type() == null ? "" : m.type();
            List<String> options = m.options();
            boolean bind = type.equals("bind") || options.contains("bind") || options.contains("rbind");
            if (STANDARD.contains(dst) || KERNEL_TYPES.contains(type)) {
                continue; // the guest mounts its own
            }
            boolean readOnly = options.contains("ro");
            List<String> flags = new ArrayList<>();
            if (readOnly) flags.add("ro");
            for (String o : options) if (FLAGS.contains(o) && !flags.contains(o)) flags.add(o);
            if (bind) {
                if (!shares) {
                    if (CRI_FILES.contains(dst)) {
                        notes.add(dst + ": not shared with a " + guest.key() + " guest on " + monitor.key()
                                + " (bind mounts need a linux guest on qemu)");
                        continue;
                    }
                    throw new MountException(
                            Reason.UNSUPPORTED,
                            dst,
                            "a " + guest.key() + " guest on " + monitor.key()
                                    + " cannot take bind mounts (they are shared over virtio-9p, which needs a linux guest on qemu); "
                                    + "remove the mount or run the image with com.urunc.unikernel.hypervisor=qemu and a linux guest");
                }
                Path source = source(m, dst);
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(source, BasicFileAttributes.class);
                } catch (IOException e) {
                    throw new MountException(
                            Reason.INVALID, dst, "source " + source + " cannot be read: " + e.getMessage());
                }
                if (a.isDirectory()) {
                    String tag = "m" + dirs.size();
                    dirs.add(SharedDir.directory(tag, source, readOnly));
                    guestMounts.add(new GuestMount(GuestMount.Type.NINEP, tag, dst, flags, ""));
                } else if (a.isRegularFile()) {
                    String name = Integer.toString(files.size());
                    files.add(new SharedDir.Bind(source, Path.of(SharedDir.ROOT, FILES_TAG, name), readOnly));
                    filesReadOnly &= readOnly;
                    guestMounts.add(new GuestMount(GuestMount.Type.FILE, FILES_TAG + "/" + name, dst, flags, ""));
                } else {
                    throw new MountException(
                            Reason.UNSUPPORTED,
                            dst,
                            "source " + source + " is neither a directory nor a "
                                    + "regular file (a socket or device node cannot be shared with a VM guest over virtio-9p)");
                }
            } else if (type.equals("tmpfs")) {
                if (!linux) {
                    // containerd's default spec has /run on every container: not worth a line each time
                    if (!dst.equals("/run")) notes.add(dst + " (tmpfs): skipped for a " + guest.key() + " guest");
                    continue;
                }
                List<String> data = new ArrayList<>();
                for (String o : options) {
                    int eq = o.indexOf('=');
                    if (eq > 0 && TMPFS_DATA.contains(o.substring(0, eq))) data.add(o);
                }
                guestMounts.add(new GuestMount(GuestMount.Type.TMPFS, "tmpfs", dst, flags, String.join(",", data)));
            } else if (!linux) {
                notes.add(dst + " (" + type + "): skipped for a " + guest.key() + " guest");
            } else {
                throw new MountException(
                        Reason.UNSUPPORTED,
                        dst,
                        "mount type '" + type + "' is not supported in a "
                                + "microVM guest (bind mounts of files and directories and tmpfs are)");
            }
        }
        List<SharedDir> all = new ArrayList<>(dirs);
        if (!files.isEmpty()) {
            all.add(new SharedDir(FILES_TAG, Path.of(SharedDir.ROOT, FILES_TAG), filesReadOnly, files));
        }
        return new MountPlan(all, guestMounts, notes);
    }

    /** The container's rootfs shared whole (com.urunc.unikernel.mountRootfs), with tag {@code rootfs}. */
    public static SharedDir rootfs(Path rootfs, boolean readOnly) throws MountException {
        if (!Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS)) {
            throw new MountException(Reason.INVALID, "/", "the rootfs " + rootfs + " is not a directory");
        }
        return SharedDir.directory("rootfs", rootfs.toAbsolutePath(), readOnly);
    }

    private static String destination(Spec.Mount m) throws MountException {
        String d = m.destination();
        if (d == null || !d.startsWith("/")) {
            throw new MountException(Reason.INVALID, String.valueOf(d), "the destination must be an absolute path");
        }
        if (d.indexOf('\n') >= 0 || d.indexOf('\0') >= 0) {
            throw new MountException(Reason.INVALID, d.replace("\n", "\\n"), "the destination holds a newline or NUL");
        }
        for (String seg : d.split("/")) {
            if (seg.equals("..")) throw new MountException(Reason.INVALID, d, "the destination must not contain '..'");
        }
        String clean = Path.of(d).normalize().toString();
        return clean;
    }

    private static Path source(Spec.Mount m, String dst) throws MountException {
        String s = m.source();
        if (s == null || !s.startsWith("/")) {
            throw new MountException(Reason.INVALID, dst, "a bind mount needs an absolute source, got '" + s + "'");
        }
        if (s.indexOf('\0') >= 0) throw new MountException(Reason.INVALID, dst, "the source holds a NUL");
        return Path.of(s).normalize();
    }
}
