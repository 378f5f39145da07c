package io.jurunc.runtime.sys;

import io.jurunc.libc.ErrnoException;
import io.jurunc.libc.Fds;
import io.jurunc.libc.Processes;
import io.jurunc.libc.Sockets;

/**
 * {@link Syscalls} on the project's one C library binding ({@code io.jurunc.libc}), which binds each function
 * on its first call: loading this class costs nothing and a caller pays only for the functions it calls.
 */
final class LinuxSyscalls implements Syscalls {
    static final LinuxSyscalls INSTANCE = new LinuxSyscalls();

    private LinuxSyscalls() {}

    @Override
    public int open(String path, int flags) throws ErrnoException {
        return Fds.open(path, flags);
    }

    @Override
    public void close(int fd) throws ErrnoException {
        Fds.close(fd);
    }

    @Override
    public void setns(int fd, int nstype) throws ErrnoException {
        Processes.setns(fd, nstype);
    }

    @Override
    public int ioctl(int fd, long request, byte[] buffer) throws ErrnoException {
        return Fds.ioctl(fd, request, buffer);
    }

    @Override
    public int ioctl(int fd, long request, long value) throws ErrnoException {
        return Fds.ioctl(fd, request, value);
    }

    @Override
    public int read(int fd, byte[] buffer) throws ErrnoException {
        return Fds.read(fd, buffer);
    }

    @Override
    public int write(int fd, byte[] buffer, int length) throws ErrnoException {
        return Fds.write(fd, buffer, length);
    }

    @Override
    public void mkfifo(String path, int mode) throws ErrnoException {
        Fds.mkfifo(path, mode);
    }

    @Override
    public int socket(int domain, int type, int protocol) throws ErrnoException {
        return Sockets.socket(domain, type, protocol);
    }

    @Override
    public void setsockopt(int fd, int level, int name, int value) throws ErrnoException {
        Sockets.setsockopt(fd, level, name, value);
    }

    @Override
    public void kill(int pid, int signal) throws ErrnoException {
        Processes.kill(pid, signal);
    }

    @Override
    public void becomeChildSubreaper() throws ErrnoException {
        Processes.prctl(Processes.PR_SET_CHILD_SUBREAPER, 1);
    }

    @Override
    public int waitExit(int pid) throws ErrnoException {
        return Processes.waitpid(pid, 0).shellStatus();
    }
}
