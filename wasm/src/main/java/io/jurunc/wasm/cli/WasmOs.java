package io.jurunc.wasm.cli;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The few system calls the CLI's WASM containers need, through FFM: mkfifo, a non-blocking FIFO poke, kill. */
final class WasmOs {
    private static final int O_WRONLY = 01;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle MKFIFO =
            handle("mkfifo", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle OPEN =
            handle("open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle WRITE = handle(
            "write",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle CLOSE =
            handle("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle KILL =
            handle("kill", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final long ERRNO_OFFSET = Linker.Option.captureStateLayout()
            .byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private WasmOs() {}

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, ERRNO);
    }

    static void mkfifo(Path path) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(Linker.Option.captureStateLayout());
            int rc = (int) MKFIFO.invokeExact(state, a.allocateFrom(path.toString()), 0600);
            if (rc != 0) {
                throw new IOException("mkfifo " + path + ": errno " + state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("mkfifo " + path + ": " + t, t);
        }
    }

    /** Writes a line into the FIFO if a reader has it open; false (never a hang) when none has. */
    static boolean poke(Path fifo) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(Linker.Option.captureStateLayout());
            int fd = (int) OPEN.invokeExact(state, a.allocateFrom(fifo.toString()), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
            if (fd < 0) {
                int errno = state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
                if (errno == 6) { // ENXIO: no reader yet
                    return false;
                }
                throw new IOException("open " + fifo + ": errno " + errno);
            }
            try {
                MemorySegment line = a.allocateFrom("start\n");
                long n = (long) WRITE.invokeExact(state, fd, line, 6L);
                if (n != 6) {
                    throw new IOException("write " + fifo + ": errno " + state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET));
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(state, fd);
            }
            return true;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("poke " + fifo + ": " + t, t);
        }
    }

    /** False when the process does not exist (ESRCH). */
    static boolean kill(long pid, int signal) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(Linker.Option.captureStateLayout());
            int rc = (int) KILL.invokeExact(state, Math.toIntExact(pid), signal);
            if (rc == 0) {
                return true;
            }
            int errno = state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
            if (errno == 3) {
                return false;
            }
            throw new IOException("kill " + pid + " " + signal + ": errno " + errno);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("kill " + pid + ": " + t, t);
        }
    }

    /** Start time (field 22 of /proc/pid/stat) of a live, non-zombie process. */
    static Optional<Long> liveStartTime(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (f[0].equals("Z") || f[0].equals("X")) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(f[19]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
