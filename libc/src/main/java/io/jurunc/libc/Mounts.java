package io.jurunc.libc;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** {@code mount} and {@code umount2}. Failures throw {@link ErrnoException}. */
public final class Mounts {
    public static final long MS_RDONLY = 1;
    public static final long MS_REMOUNT = 32;
    public static final long MS_BIND = 4096;

    /** {@code umount2} flag: detach now, clean up when no longer busy. */
    public static final int MNT_DETACH = 2;

    private Mounts() {}

    private static final class Mount {
        static final MethodHandle H =
                Libc.bind("mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    }

    private static final class Umount2 {
        static final MethodHandle H = Libc.bind("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    /** {@code mount(source, target, type, flags, data)}; a null or empty string is passed as NULL. */
    public static void mount(String source, String target, String type, long flags, String data) throws ErrnoException {
        Libc.call("mount", target, (a, st) -> (int)
                Mount.H.invokeExact(st, cstr(a, source), a.allocateFrom(target), cstr(a, type), flags, cstr(a, data)));
    }

    /** {@code umount2(target, flags)}; {@link Errno#EINVAL} when nothing is mounted there. */
    public static void umount2(String target, int flags) throws ErrnoException {
        Libc.call("umount2", target, (a, st) -> (int) Umount2.H.invokeExact(st, a.allocateFrom(target), flags));
    }

    private static MemorySegment cstr(Arena arena, String s) {
        return s == null || s.isEmpty() ? MemorySegment.NULL : arena.allocateFrom(s);
    }
}
