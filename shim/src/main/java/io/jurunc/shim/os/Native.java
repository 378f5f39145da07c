package io.jurunc.shim.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/** FFM bindings to the few libc calls the shim makes; bound lazily on first use. */
final class Native {
    static final int PR_SET_CHILD_SUBREAPER = 36;
    static final int P_PID = 1;
    static final int WEXITED = 4;
    static final int EINTR = 4;
    static final int ECHILD = 10;
    static final int ESRCH = 3;
    static final int CLD_EXITED = 1;

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private Native() {}

    private static final class Holder {
        static final Linker LINKER = Linker.nativeLinker();
        static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");
        static final MethodHandle PRCTL = bind(
                "prctl",
                FunctionDescriptor.of(
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG));
        static final MethodHandle WAITID = bind(
                "waitid",
                FunctionDescriptor.of(
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS,
                        ValueLayout.JAVA_INT));
        static final MethodHandle KILL =
                bind("kill", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        static final MethodHandle MOUNT = bind(
                "mount",
                FunctionDescriptor.of(
                        ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS,
                        ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS));
        static final MethodHandle PIPE2 =
                bind("pipe2", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        static final MethodHandle CLOSE =
                bind("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        static final MethodHandle UMOUNT2 =
                bind("umount2", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

        private static MethodHandle bind(String name, FunctionDescriptor fd) {
            MemorySegment symbol = LINKER.defaultLookup()
                    .find(name)
                    .orElseThrow(() -> new IllegalStateException("libc has no " + name));
            return LINKER.downcallHandle(symbol, fd, ERRNO_OPT);
        }
    }

    /** Result of a call: its return value and errno (meaningful only when {@code ret < 0}). */
    record Result(int ret, int errno) {
        boolean failed() {
            return ret < 0;
        }
    }

    static Result prctl(int option, long arg2) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int ret = (int) Holder.PRCTL.invokeExact(state, option, arg2, 0L, 0L, 0L);
            return new Result(ret, (int) ERRNO.get(state, 0L));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result kill(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int ret = (int) Holder.KILL.invokeExact(state, pid, signal);
            return new Result(ret, (int) ERRNO.get(state, 0L));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code waitid(P_PID, pid, &info, WEXITED)}, retried on EINTR: reaps exactly that pid (never another
     * child, so the JDK's own reaping of {@link Process} children is undisturbed).
     *
     * @return {@code {ret, errno, si_code, si_status}}
     */
    static int[] waitidPid(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment info = arena.allocate(128, 8);
            while (true) {
                info.fill((byte) 0);
                int ret = (int) Holder.WAITID.invokeExact(state, P_PID, pid, info, WEXITED);
                int errno = (int) ERRNO.get(state, 0L);
                if (ret < 0 && errno == EINTR) {
                    continue;
                }
                // siginfo_t on x86_64/aarch64: si_signo@0 si_errno@4 si_code@8 si_pid@16 si_uid@20 si_status@24
                return new int[] {ret, errno, info.get(ValueLayout.JAVA_INT, 8), info.get(ValueLayout.JAVA_INT, 24)};
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final int O_CLOEXEC = 0x80000;

    /** {@code pipe2(fds, O_CLOEXEC)}: returns {@code {ret, errno, readFd, writeFd}}. */
    static int[] pipe2() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            int ret = (int) Holder.PIPE2.invokeExact(state, fds, O_CLOEXEC);
            return new int[] {
                ret,
                (int) ERRNO.get(state, 0L),
                fds.getAtIndex(ValueLayout.JAVA_INT, 0),
                fds.getAtIndex(ValueLayout.JAVA_INT, 1)
            };
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int ret = (int) Holder.CLOSE.invokeExact(state, fd);
            return new Result(ret, (int) ERRNO.get(state, 0L));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result mount(String source, String target, String type, long flags, String data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int ret = (int) Holder.MOUNT.invokeExact(
                    state, cstr(arena, source), cstr(arena, target), cstr(arena, type), flags, cstr(arena, data));
            return new Result(ret, (int) ERRNO.get(state, 0L));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result umount2(String target, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int ret = (int) Holder.UMOUNT2.invokeExact(state, arena.allocateFrom(target), flags);
            return new Result(ret, (int) ERRNO.get(state, 0L));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MemorySegment cstr(Arena arena, String s) {
        return s == null || s.isEmpty() ? MemorySegment.NULL : arena.allocateFrom(s);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
