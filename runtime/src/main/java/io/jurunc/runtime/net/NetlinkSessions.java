package io.jurunc.runtime.net;

import io.jurunc.libc.ErrnoException;
import io.jurunc.runtime.sys.NamespaceThread;
import io.jurunc.runtime.sys.Syscalls;

/**
 * Opens rtnetlink sessions inside a network namespace: the socket is created by a thread that has
 * joined the namespace (a netlink socket belongs to its creator's namespace), asks for extended
 * acks with capped echoes, and is closed when the work is done. No process is started.
 */
class NetlinkSessions {
    /** Work done over one channel. */
    interface Work<T> {
        T run(NetlinkChannel channel) throws NetOperationException;
    }

    private static final int NETLINK_CAP_ACK = 10;
    private static final int NETLINK_EXT_ACK = 11;

    private final Syscalls sys;

    NetlinkSessions(Syscalls sys) {
        this.sys = sys;
    }

    <T> T inNetns(NetnsRef netns, Work<T> work) throws NetOperationException {
        try {
            return NamespaceThread.callInNetns(sys, netns.path(), () -> session(work));
        } catch (NamespaceThread.EnterException e) {
            if (e.namespaceGone()) {
                throw NetOperationException.netnsGone(netns, e);
            }
            throw new NetOperationException(e.getMessage(), false, e);
        }
    }

    private <T> T session(Work<T> work) throws NetOperationException {
        int fd;
        try {
            fd = sys.socket(Syscalls.AF_NETLINK, Syscalls.SOCK_RAW | Syscalls.SOCK_CLOEXEC, Syscalls.NETLINK_ROUTE);
        } catch (ErrnoException e) {
            throw new NetOperationException("cannot open an rtnetlink socket: " + e.getMessage(), false, e);
        }
        try {
            try {
                sys.setsockopt(fd, Syscalls.SOL_NETLINK, NETLINK_EXT_ACK, 1);
                sys.setsockopt(fd, Syscalls.SOL_NETLINK, NETLINK_CAP_ACK, 1);
            } catch (ErrnoException e) {
                // older kernels: plain acks, errors still carry the errno
            }
            return work.run(new NetlinkChannel(new SocketTransport(sys, fd)));
        } finally {
            try {
                sys.close(fd);
            } catch (ErrnoException e) {
                // nothing was written through it that closing could lose
            }
        }
    }

    private record SocketTransport(Syscalls sys, int fd) implements NetlinkChannel.Transport {
        @Override
        public void send(byte[] message) throws NetOperationException {
            try {
                int n = sys.write(fd, message, message.length);
                if (n != message.length) {
                    throw new NetOperationException("rtnetlink: short write (" + n + " of " + message.length + ")");
                }
            } catch (ErrnoException e) {
                throw new NetOperationException("rtnetlink send: " + e.getMessage(), false, e);
            }
        }

        @Override
        public int receive(byte[] buffer) throws NetOperationException {
            try {
                return sys.read(fd, buffer);
            } catch (ErrnoException e) {
                throw new NetOperationException("rtnetlink receive: " + e.getMessage(), false, e);
            }
        }
    }
}
