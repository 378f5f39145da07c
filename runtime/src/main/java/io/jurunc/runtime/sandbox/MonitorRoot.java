package io.jurunc.runtime.sandbox;

import io.jurunc.runtime.sandbox.LaunchFile.Kind;
import io.jurunc.runtime.sandbox.LaunchFile.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The minimal root a monitor sees: {@code /usr} (the monitor, its libraries and firmware, read-only),
 * the host's {@code /lib}, {@code /bin}… symlinks of a merged-/usr system (or read-only binds where
 * they are directories), {@code /etc/ld.so.cache}, {@code /dev/null|zero|full|random|urandom}, the
 * devices the VM needs ({@code /dev/kvm} with KVM, {@code /dev/net/tun} with a NIC,
 * {@code /dev/vhost-net}, {@code /dev/vhost-vsock}), and the guest's own files at their host paths:
 * kernel, initrd and configs read-only, block images read-write. Nothing else: no /proc, /sys, /tmp,
 * /home, /etc, /run, no state directories. Every file keeps its host path, so the monitor's argv is
 * unchanged.
 */
public final class MonitorRoot {
    private static final List<String> TOP_LEVEL = List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");
    private static final List<String> BASIC_DEVICES =
            List.of("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom");

    /** What the VM needs from the host besides files. */
    public record Needs(boolean kvm, boolean tap, boolean vhostNet, boolean vhostVsock) {}

    private MonitorRoot() {}

    /**
     * @param root an empty directory the helper mounts the new root on
     * @param readFiles files the monitor reads (kernel, initrd, generated configs)
     * @param writeFiles files the monitor writes (block images)
     */
    public static LaunchFile plan(
            Path root,
            Path monitorBinary,
            List<Path> readFiles,
            List<Path> writeFiles,
            Needs needs,
            SandboxSettings settings,
            MonitorUser user,
            List<String> argv)
            throws SandboxSetupException {
        Path host = Path.of("/");
        List<Mount> mounts = new ArrayList<>();
        List<Path> links = new ArrayList<>();
        mounts.add(new Mount(Kind.ROX, Path.of("/usr")));
        for (String d : TOP_LEVEL) {
            Path p = host.resolve(d);
            if (Files.isSymbolicLink(p)) links.add(p);
            else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) mounts.add(new Mount(Kind.ROX, p));
        }
        if (!monitorBinary.startsWith("/usr/")) mounts.add(new Mount(Kind.ROX, monitorBinary));
        Path ldCache = Path.of("/etc/ld.so.cache");
        if (Files.isRegularFile(ldCache)) mounts.add(new Mount(Kind.RO, ldCache));
        for (Path p : settings.readOnly()) {
            if (Files.exists(p)) mounts.add(new Mount(Kind.RO, p));
        }
        for (Path p : settings.readWrite()) {
            if (Files.exists(p)) mounts.add(new Mount(Kind.RW, p));
        }
        Set<Path> reads = new LinkedHashSet<>(readFiles);
        Set<Path> writes = new LinkedHashSet<>(writeFiles);
        reads.removeAll(writes);
        for (Path p : reads) mounts.add(new Mount(Kind.RO, requireRegular(p)));
        for (Path p : writes) mounts.add(new Mount(Kind.RW, requireRegular(p)));
        List<String> devices = new ArrayList<>(BASIC_DEVICES);
        if (needs.kvm()) devices.add("/dev/kvm");
        if (needs.tap()) devices.add("/dev/net/tun");
        if (needs.vhostNet()) devices.add("/dev/vhost-net");
        if (needs.vhostVsock()) devices.add("/dev/vhost-vsock");
        MonitorUser withDevices = user;
        for (String d : devices) {
            Path p = Path.of(d);
            if (!Files.exists(p)) {
                if (BASIC_DEVICES.contains(d)) continue;
                throw new SandboxSetupException(d + " does not exist on this host, and the VM needs it");
            }
            mounts.add(new Mount(Kind.DEV, p));
            withDevices = withDevices.withGroup(deviceGroup(p));
        }
        return new LaunchFile(root, mounts, links, withDevices, List.of("PATH=/usr/local/bin:/usr/bin:/bin"), argv);
    }

    private static Path requireRegular(Path p) throws SandboxSetupException {
        if (!p.isAbsolute()) throw new SandboxSetupException("monitor file '" + p + "' is not an absolute path");
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new SandboxSetupException("monitor file " + p + " is not a regular file");
        }
        return p;
    }

    /** The device's group when "other" cannot read and write it (e.g. /dev/kvm is root:kvm 0660), else 0. */
    private static int deviceGroup(Path dev) throws SandboxSetupException {
        try {
            PosixFileAttributes a = Files.readAttributes(dev, PosixFileAttributes.class);
            var perms = a.permissions();
            if (perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)
                    && perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
                return 0;
            }
            return (Integer) Files.getAttribute(dev, "unix:gid");
        } catch (IOException e) {
            throw new SandboxSetupException("cannot inspect " + dev + ": " + e.getMessage(), e);
        }
    }
}
