package io.jurunc.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The one place that binds the C library: the native linker, {@code errno} captured the same way for every
 * downcall ({@code Linker.Option.captureCallState("errno")}), and the call wrapper that turns a negative return
 * into an {@link ErrnoException}.
 *
 * <p>Each function is bound by a holder class of its own, nested in the class of its area ({@link Fds},
 * {@link Sockets}, {@link Processes}, {@link Mounts}, {@link Ptys}): a downcall handle costs milliseconds to
 * spin up in a cold JVM, so loading an area links nothing and a verb pays only for the functions it calls.
 */
final class Libc {
    private Libc() {}

    /** The linker and the C library's symbols, set up on the first bind. */
    private static final class Linkage {
        static final Linker LINKER = Linker.nativeLinker();
        static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    }

    /** The captured call state, and errno's place in it. */
    private static final class CallState {
        static final StructLayout LAYOUT = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    }

    /**
     * A downcall handle for {@code name} whose first parameter is the call-state segment errno is captured into.
     *
     * @param extra further linker options, e.g. {@code firstVariadicArg} for a variadic function
     */
    @SuppressWarnings("restricted") // the launchers and the test JVMs enable native access
    static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker linker = Linkage.LINKER;
        MemorySegment symbol = linker.defaultLookup()
                .find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no symbol " + name));
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = Linkage.CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return linker.downcallHandle(symbol, descriptor, options);
    }

    /** One downcall returning {@code int}: gets a confined arena for its arguments and the call state. */
    @FunctionalInterface
    interface IntCall {
        int invoke(Arena arena, MemorySegment state) throws Throwable;
    }

    /** One downcall returning {@code long} ({@code ssize_t}). */
    @FunctionalInterface
    interface LongCall {
        long invoke(Arena arena, MemorySegment state) throws Throwable;
    }

    /**
     * Runs {@code call}; a negative result throws {@link ErrnoException} with the captured errno.
     *
     * @param detail what the call was about (a path, a descriptor) for the message; may be null
     */
    static int call(String function, Object detail, IntCall call) throws ErrnoException {
        return (int) callLong(function, detail, call::invoke);
    }

    /** {@link #call} for an {@code ssize_t} result ({@link #call} runs through it). */
    static long callLong(String function, Object detail, LongCall call) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CallState.LAYOUT);
            long rc = call.invoke(arena, state);
            if (rc < 0) {
                throw new ErrnoException(function, errno(state), detail);
            }
            return rc;
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(function + ": the downcall failed", t);
        }
    }

    /** {@link #call}, restarted while it fails with {@link Errno#EINTR} (for calls that may block). */
    static int restarting(String function, Object detail, IntCall call) throws ErrnoException {
        return (int) restartingLong(function, detail, call::invoke);
    }

    /** {@link #callLong}, restarted while it fails with {@link Errno#EINTR}. */
    static long restartingLong(String function, Object detail, LongCall call) throws ErrnoException {
        while (true) {
            try {
                return callLong(function, detail, call);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EINTR) {
                    throw e;
                }
            }
        }
    }

    private static int errno(MemorySegment state) {
        return (int) CallState.ERRNO.get(state, 0L);
    }
}
