package io.jurunc.runtime.net;

import io.jurunc.libc.Errno;
import io.jurunc.libc.ErrnoException;
import io.jurunc.runtime.sys.NamespaceThread;
import io.jurunc.runtime.sys.Syscalls;
import java.net.Inet4Address;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in guest for data-path tests: attaches to a tap (like a monitor would, without a vnet
 * header) and answers ARP requests and ICMP echo requests for the guest's IP with the guest's MAC.
 */
final class ArpIcmpResponder implements AutoCloseable {
    private static final int ETH_HLEN = 14;

    private final Syscalls sys;
    private final int fd;
    private final byte[] mac;
    private final byte[] ip;
    private final Thread thread;
    private volatile boolean stopped;
    final AtomicInteger arpReplies = new AtomicInteger();
    final AtomicInteger echoReplies = new AtomicInteger();

    ArpIcmpResponder(Syscalls sys, NetnsRef netns, String tap, String mac, Inet4Address ip) throws Exception {
        this.sys = sys;
        this.mac = HexFormat.ofDelimiter(":").parseHex(mac);
        this.ip = ip.getAddress();
        // the tun descriptor must be opened inside the tap's namespace; it is usable from any thread
        byte[] ifreq = FfmTunTap.ifreq(tap, (short) (FfmTunTap.IFF_TAP | FfmTunTap.IFF_NO_PI));
        this.fd = NamespaceThread.callInNetns(sys, netns.path(), () -> {
            int f = sys.open(FfmTunTap.TUN_DEVICE, Syscalls.O_RDWR | Syscalls.O_CLOEXEC | Syscalls.O_NONBLOCK);
            try {
                sys.ioctl(f, FfmTunTap.TUNSETIFF, ifreq);
            } catch (ErrnoException e) {
                sys.close(f);
                throw e;
            }
            return f;
        });
        this.thread =
                Thread.ofPlatform().name("arp-icmp-responder").daemon(true).start(this::loop);
    }

    private void loop() {
        byte[] frame = new byte[65536];
        while (!stopped) {
            int n;
            try {
                n = sys.read(fd, frame);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EAGAIN) {
                    sleep();
                    continue;
                }
                return;
            }
            if (n <= 0) {
                return;
            }
            try {
                answer(frame, n);
            } catch (ErrnoException e) {
                return;
            }
        }
    }

    private void answer(byte[] f, int n) throws ErrnoException {
        if (n < ETH_HLEN) {
            return;
        }
        int type = (f[12] & 0xff) << 8 | (f[13] & 0xff);
        if (type == 0x0806 && n >= 42 && f[21] == 1 && equal(f, 38, ip)) {
            byte[] r = new byte[42];
            System.arraycopy(f, 6, r, 0, 6); // to the asker
            System.arraycopy(mac, 0, r, 6, 6);
            System.arraycopy(f, 12, r, 12, 8); // ethertype, htype, ptype, hlen, plen, op hi
            r[21] = 2; // reply
            System.arraycopy(mac, 0, r, 22, 6);
            System.arraycopy(ip, 0, r, 28, 4);
            System.arraycopy(f, 22, r, 32, 10); // target = the asker's MAC and IP
            sys.write(fd, r, r.length);
            arpReplies.incrementAndGet();
        } else if (type == 0x0800 && n >= ETH_HLEN + 20 && f[ETH_HLEN + 9] == 1 && equal(f, ETH_HLEN + 16, ip)) {
            int ihl = (f[ETH_HLEN] & 0x0f) * 4;
            int total = (f[ETH_HLEN + 2] & 0xff) << 8 | (f[ETH_HLEN + 3] & 0xff);
            int icmp = ETH_HLEN + ihl;
            if (f[icmp] != 8 || ETH_HLEN + total > n) {
                return;
            }
            byte[] r = java.util.Arrays.copyOf(f, ETH_HLEN + total);
            System.arraycopy(f, 6, r, 0, 6);
            System.arraycopy(mac, 0, r, 6, 6);
            System.arraycopy(f, ETH_HLEN + 16, r, ETH_HLEN + 12, 4); // swapping addresses keeps the
            System.arraycopy(f, ETH_HLEN + 12, r, ETH_HLEN + 16, 4); // IP header checksum valid
            r[icmp] = 0; // echo reply
            r[icmp + 2] = 0;
            r[icmp + 3] = 0;
            int sum = checksum(r, icmp, ETH_HLEN + total - icmp);
            r[icmp + 2] = (byte) (sum >> 8);
            r[icmp + 3] = (byte) sum;
            sys.write(fd, r, r.length);
            echoReplies.incrementAndGet();
        }
    }

    private static boolean equal(byte[] f, int off, byte[] value) {
        for (int i = 0; i < value.length; i++) {
            if (f[off + i] != value[i]) {
                return false;
            }
        }
        return true;
    }

    private static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += (b[off + i] & 0xff) << 8 | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) == 1) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static void sleep() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws ErrnoException {
        stopped = true;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sys.close(fd);
    }
}
