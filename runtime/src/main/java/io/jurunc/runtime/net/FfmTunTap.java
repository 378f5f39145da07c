package io.jurunc.runtime.net;

import io.jurunc.libc.Errno;
import io.jurunc.libc.ErrnoException;
import io.jurunc.runtime.sys.NamespaceThread;
import io.jurunc.runtime.sys.Syscalls;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates taps the way {@code ip tuntap add} does, without a child process: on a thread that has
 * joined the namespace, open {@code /dev/net/tun} (the device is created in the opener's
 * namespace), {@code TUNSETIFF}, {@code TUNSETPERSIST}, optionally {@code TUNSETOWNER}/{@code
 * TUNSETGROUP}, close.
 */
final class FfmTunTap implements TunTap {
    static final long TUNSETIFF = 0x400454caL;
    static final long TUNSETPERSIST = 0x400454cbL;
    static final long TUNSETOWNER = 0x400454ccL;
    static final long TUNSETGROUP = 0x400454ceL;

    static final short IFF_TAP = 0x0002;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_ONE_QUEUE = 0x2000;
    static final short IFF_VNET_HDR = 0x4000;
    /** Fail with EBUSY instead of attaching when the name exists. */
    static final short IFF_TUN_EXCL = (short) 0x8000;

    static final int IFNAMSIZ = 16;
    static final int IFREQ_SIZE = 40;
    static final String TUN_DEVICE = "/dev/net/tun";

    private final Syscalls sys;

    FfmTunTap(Syscalls sys) {
        this.sys = Objects.requireNonNull(sys, "sys");
    }

    @Override
    public void createTap(NetnsRef netns, String name, Optional<TapOwner> owner) throws NetOperationException {
        byte[] ifreq = ifreq(name, (short) (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_ONE_QUEUE | IFF_TUN_EXCL));
        try {
            NamespaceThread.callInNetns(sys, netns.path(), () -> {
                create(ifreq, owner);
                return null;
            });
        } catch (NamespaceThread.EnterException e) {
            if (e.namespaceGone()) {
                throw NetOperationException.netnsGone(netns, e);
            }
            throw new NetOperationException(e.getMessage(), false, e);
        } catch (ErrnoException e) {
            String why = e.errno() == Errno.EBUSY ? " (a device named " + name + " already exists)" : "";
            throw new NetOperationException("creating tap " + name + ": " + e.getMessage() + why, false, e);
        }
    }

    private void create(byte[] ifreq, Optional<TapOwner> owner) throws ErrnoException {
        int fd = sys.open(TUN_DEVICE, Syscalls.O_RDWR | Syscalls.O_CLOEXEC);
        boolean undoPersist = false;
        try {
            sys.ioctl(fd, TUNSETIFF, ifreq);
            sys.ioctl(fd, TUNSETPERSIST, 1);
            undoPersist = true;
            if (owner.isPresent()) {
                sys.ioctl(fd, TUNSETOWNER, owner.get().uid());
                sys.ioctl(fd, TUNSETGROUP, owner.get().gid());
            }
            undoPersist = false; // complete: keep the device
        } finally {
            if (undoPersist) {
                // failed after TUNSETPERSIST: make the device go away with the descriptor
                try {
                    sys.ioctl(fd, TUNSETPERSIST, 0);
                } catch (ErrnoException ignored) {
                    // the close below still runs; the caller reports the first failure
                }
            }
            sys.close(fd);
        }
    }

    /** A {@code struct ifreq}: the NUL-terminated name, then the flags (a little-endian short). */
    static byte[] ifreq(String name, short flags) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        boolean printable = name.chars().allMatch(c -> c > 32 && c < 127 && c != '/');
        if (name.isEmpty() || bytes.length >= IFNAMSIZ || !printable) {
            throw new IllegalArgumentException("invalid interface name: '" + name + "'");
        }
        byte[] ifreq = new byte[IFREQ_SIZE];
        System.arraycopy(bytes, 0, ifreq, 0, bytes.length);
        ifreq[IFNAMSIZ] = (byte) flags;
        ifreq[IFNAMSIZ + 1] = (byte) (flags >> 8);
        return ifreq;
    }
}
