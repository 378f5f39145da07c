package io.jurunc.runtime.sys;

import io.jurunc.libc.Errno;
import io.jurunc.libc.ErrnoException;
import io.jurunc.libc.Fds;
import io.jurunc.libc.Processes;
import io.jurunc.libc.Sockets;

/**
 * The few Linux system calls the runtime makes directly (not through a child process). Errors come
 * back as {@link ErrnoException}; reads, writes and waits are restarted on EINTR. The real implementation is
 * {@link LinuxSyscalls}, on the project's C library binding ({@code io.jurunc.libc}); tests use a
 * recording fake.
 */
public interface Syscalls {
    int O_RDONLY = Fds.O_RDONLY;
    int O_WRONLY = Fds.O_WRONLY;
    int O_RDWR = Fds.O_RDWR;
    int O_NONBLOCK = Fds.O_NONBLOCK;
    int O_NOFOLLOW = Fds.O_NOFOLLOW;
    int O_CLOEXEC = Fds.O_CLOEXEC;

    /** {@code CLONE_NEWNET}, the namespace type for {@link #setns}. */
    int CLONE_NEWNET = Processes.CLONE_NEWNET;

    /** {@code socket(2)} arguments for rtnetlink. */
    int AF_NETLINK = Sockets.AF_NETLINK;

    int SOCK_RAW = Sockets.SOCK_RAW;
    int SOCK_CLOEXEC = Sockets.SOCK_CLOEXEC;
    int NETLINK_ROUTE = 0;
    int SOL_NETLINK = 270;

    int SIGKILL = Processes.SIGKILL;
    int SIGTERM = Processes.SIGTERM;

    /** {@code open(path, flags)}; returns the file descriptor. */
    int open(String path, int flags) throws ErrnoException;

    /** {@code close(fd)}. */
    void close(int fd) throws ErrnoException;

    /** {@code setns(fd, nstype)}: moves the calling thread into the namespace {@code fd} refers to. */
    void setns(int fd, int nstype) throws ErrnoException;

    /**
     * {@code ioctl(fd, request, buf)} with a pointer argument: {@code buffer} is copied to native
     * memory, passed, and copied back (the kernel may write into it, e.g. TUNSETIFF's name).
     *
     * @return the ioctl's non-negative result
     */
    int ioctl(int fd, long request, byte[] buffer) throws ErrnoException;

    /** {@code ioctl(fd, request, value)} with an integer argument (e.g. TUNSETPERSIST). */
    int ioctl(int fd, long request, long value) throws ErrnoException;

    /**
     * {@code read(fd, buffer, buffer.length)}.
     *
     * @return the number of bytes read, 0 at end of file
     */
    int read(int fd, byte[] buffer) throws ErrnoException;

    /**
     * {@code write(fd, buffer, length)}.
     *
     * @return the number of bytes written
     */
    int write(int fd, byte[] buffer, int length) throws ErrnoException;

    /** {@code mkfifo(path, mode)}; {@link Errno#EEXIST} when the path exists. */
    void mkfifo(String path, int mode) throws ErrnoException;

    /**
     * {@code socket(domain, type, protocol)}; returns the file descriptor. A netlink socket belongs
     * to the network namespace of the thread that creates it.
     */
    int socket(int domain, int type, int protocol) throws ErrnoException;

    /** {@code setsockopt(fd, level, name, &value, sizeof(int))}. */
    void setsockopt(int fd, int level, int name, int value) throws ErrnoException;

    /** {@code kill(pid, signal)}; {@link Errno#ESRCH} when no such process exists. */
    void kill(int pid, int signal) throws ErrnoException;

    /**
     * {@code prctl(PR_SET_CHILD_SUBREAPER, 1)}: orphans among this process's descendants (a monitor
     * whose sandbox helper forked it into a pid namespace and exited) become its children.
     */
    void becomeChildSubreaper() throws ErrnoException;

    /**
     * {@code waitpid(pid, &status, 0)}, retried on EINTR: the child's exit status, or 128 + the
     * signal that killed it, as a shell reports it. ECHILD when it is not a child.
     */
    int waitExit(int pid) throws ErrnoException;

    /** The real implementation, created lazily (its native bindings are bound on first call). */
    static Syscalls linux() {
        return LinuxSyscalls.INSTANCE;
    }
}
