package io.jurunc.runtime.sys;

import io.jurunc.libc.ErrnoException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A {@link Syscalls} fake: records each call as text (with the calling thread) and fails the calls
 * whose text starts with a registered prefix. File descriptors count up from 3.
 */
public final class RecordingSyscalls implements Syscalls {
    /** One recorded call. */
    public record Call(String text, Thread thread) {}

    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> failures = new HashMap<>();
    private int nextFd = 3;

    /** Calls whose text starts with {@code prefix} fail with {@code errno}. */
    public RecordingSyscalls failOn(String prefix, int errno) {
        failures.put(prefix, errno);
        return this;
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public List<String> texts() {
        return calls().stream().map(Call::text).toList();
    }

    private synchronized void record(String name, String text) throws ErrnoException {
        calls.add(new Call(text, Thread.currentThread()));
        for (Map.Entry<String, Integer> f : failures.entrySet()) {
            if (text.startsWith(f.getKey())) {
                throw new ErrnoException(name, f.getValue());
            }
        }
    }

    @Override
    public synchronized int open(String path, int flags) throws ErrnoException {
        record("open", "open " + path + " 0x" + Integer.toHexString(flags));
        return nextFd++;
    }

    @Override
    public void close(int fd) throws ErrnoException {
        record("close", "close " + fd);
    }

    @Override
    public void setns(int fd, int nstype) throws ErrnoException {
        record("setns", "setns " + fd + " 0x" + Integer.toHexString(nstype));
    }

    @Override
    public int ioctl(int fd, long request, byte[] buffer) throws ErrnoException {
        record(
                "ioctl",
                "ioctl " + fd + " 0x" + Long.toHexString(request) + " "
                        + HexFormat.of().formatHex(buffer));
        return 0;
    }

    @Override
    public int ioctl(int fd, long request, long value) throws ErrnoException {
        record("ioctl", "ioctl " + fd + " 0x" + Long.toHexString(request) + " " + value);
        return 0;
    }

    @Override
    public int read(int fd, byte[] buffer) throws ErrnoException {
        record("read", "read " + fd + " " + buffer.length);
        return 0;
    }

    @Override
    public int write(int fd, byte[] buffer, int length) throws ErrnoException {
        record("write", "write " + fd + " " + HexFormat.of().formatHex(buffer, 0, length));
        return length;
    }

    @Override
    public void mkfifo(String path, int mode) throws ErrnoException {
        record("mkfifo", "mkfifo " + path + " " + Integer.toOctalString(mode));
    }

    @Override
    public synchronized int socket(int domain, int type, int protocol) throws ErrnoException {
        record("socket", "socket " + domain + " 0x" + Integer.toHexString(type) + " " + protocol);
        return nextFd++;
    }

    @Override
    public void setsockopt(int fd, int level, int name, int value) throws ErrnoException {
        record("setsockopt", "setsockopt " + fd + " " + level + " " + name + " " + value);
    }

    @Override
    public void kill(int pid, int signal) throws ErrnoException {
        record("kill", "kill " + pid + " " + signal);
    }

    @Override
    public void becomeChildSubreaper() throws ErrnoException {
        record("prctl", "prctl PR_SET_CHILD_SUBREAPER");
    }

    @Override
    public int waitExit(int pid) throws ErrnoException {
        record("waitpid", "waitpid " + pid);
        return 0;
    }
}
