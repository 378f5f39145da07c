package io.jurunc.libc;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Processes and namespaces: {@code kill}, {@code waitpid}, {@code waitid}, {@code prctl}, {@code execve},
 * {@code geteuid}, {@code setns}. Failures throw {@link ErrnoException}; waits are restarted on {@code EINTR}.
 */
public final class Processes {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    public static final int PR_SET_CHILD_SUBREAPER = 36;

    /** {@code waitid}'s id type and options, and {@code si_code} values of a child's end. */
    public static final int P_PID = 1;

    public static final int WEXITED = 4;
    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;

    /** {@code setns} namespace type of a network namespace. */
    public static final int CLONE_NEWNET = 0x40000000;

    private Processes() {}

    /** {@code waitpid}'s result: the pid that changed state and its raw wait status. */
    public record WaitStatus(int pid, int raw) {
        /** The exit code, or 128 + the signal that killed it, as a shell reports it. */
        public int shellStatus() {
            int signal = raw & 0x7f;
            return signal == 0 ? (raw >> 8) & 0xff : 128 + signal;
        }
    }

    /** {@code waitid}'s {@code siginfo_t}: which child, {@code si_code} ({@link #CLD_EXITED}...) and {@code si_status}. */
    public record ChildInfo(int pid, int code, int status) {}

    private static final class Kill {
        static final MethodHandle H = Libc.bind("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Waitpid {
        static final MethodHandle H =
                Libc.bind("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Waitid {
        static final MethodHandle H =
                Libc.bind("waitid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    /** {@code int prctl(int option, ...)}: the arguments after the option are variadic. */
    private static final class Prctl {
        static final MethodHandle H = Libc.bind(
                "prctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), Linker.Option.firstVariadicArg(1));
    }

    private static final class Execve {
        static final MethodHandle H = Libc.bind("execve", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    }

    private static final class Geteuid {
        static final MethodHandle H = Libc.bind("geteuid", FunctionDescriptor.of(JAVA_INT));
    }

    private static final class Setns {
        static final MethodHandle H = Libc.bind("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** {@code kill(pid, signal)}; {@link Errno#ESRCH} when no such process exists. Signal 0 only probes. */
    public static void kill(int pid, int signal) throws ErrnoException {
        Libc.call("kill", pid + ", " + signal, (a, st) -> (int) Kill.H.invokeExact(st, pid, signal));
    }

    /** {@code waitpid(pid, &status, options)}; {@link Errno#ECHILD} when {@code pid} is not a child. */
    public static WaitStatus waitpid(int pid, int options) throws ErrnoException {
        int[] status = new int[1];
        int changed = Libc.restarting("waitpid", pid, (a, st) -> {
            MemorySegment s = a.allocate(JAVA_INT);
            int rc = (int) Waitpid.H.invokeExact(st, pid, s, options);
            status[0] = s.get(JAVA_INT, 0);
            return rc;
        });
        return new WaitStatus(changed, status[0]);
    }

    /**
     * {@code waitid(idType, id, &info, options)}, e.g. {@code (P_PID, pid, WEXITED)} to reap exactly that child
     * (never another, so the JDK's own reaping of its {@link Process} children is undisturbed).
     */
    public static ChildInfo waitid(int idType, int id, int options) throws ErrnoException {
        int[] info = new int[3];
        Libc.restarting("waitid", id, (a, st) -> {
            MemorySegment siginfo = a.allocate(128, 8);
            int rc = (int) Waitid.H.invokeExact(st, idType, id, siginfo, options);
            // siginfo_t (x86_64, aarch64): si_signo@0 si_errno@4 si_code@8 si_pid@16 si_uid@20 si_status@24
            info[0] = siginfo.get(JAVA_INT, 16);
            info[1] = siginfo.get(JAVA_INT, 8);
            info[2] = siginfo.get(JAVA_INT, 24);
            return rc;
        });
        return new ChildInfo(info[0], info[1], info[2]);
    }

    /** {@code prctl(option, arg2)}, e.g. {@code (PR_SET_CHILD_SUBREAPER, 1)}; returns its non-negative result. */
    public static int prctl(int option, long arg2) throws ErrnoException {
        return Libc.call("prctl", option, (a, st) -> (int) Prctl.H.invokeExact(st, option, arg2));
    }

    /**
     * {@code execve(path, argv, env)}: replaces this process's image, so it returns only by throwing. Flush what
     * the JVM buffers before calling it.
     *
     * @param env entries of the form {@code NAME=value}
     */
    public static void execve(String path, List<String> argv, List<String> env) throws ErrnoException {
        Libc.call("execve", path, (a, st) ->
                (int) Execve.H.invokeExact(st, a.allocateFrom(path), cStrings(a, argv), cStrings(a, env)));
        throw new IllegalStateException("execve of " + path + " returned without an error");
    }

    /** This process's effective user id (the call cannot fail). */
    public static int geteuid() {
        try {
            return Libc.call("geteuid", null, (a, st) -> (int) Geteuid.H.invokeExact(st));
        } catch (ErrnoException e) {
            throw new IllegalStateException("geteuid reported an error", e);
        }
    }

    /** {@code setns(fd, nstype)}: moves the calling thread into the namespace {@code fd} refers to. */
    public static void setns(int fd, int nstype) throws ErrnoException {
        Libc.call("setns", fd, (a, st) -> (int) Setns.H.invokeExact(st, fd, nstype));
    }

    /** A NULL-terminated {@code char *[]}. */
    private static MemorySegment cStrings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }
}
