package io.jurunc.libc;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Pseudo-terminals: {@code posix_openpt}, {@code grantpt}, {@code unlockpt}, {@code ptsname_r}. */
public final class Ptys {
    private Ptys() {}

    private static final class PosixOpenpt {
        static final MethodHandle H = Libc.bind("posix_openpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Grantpt {
        static final MethodHandle H = Libc.bind("grantpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Unlockpt {
        static final MethodHandle H = Libc.bind("unlockpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class PtsnameR {
        static final MethodHandle H =
                Libc.bind("ptsname_r", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    /** {@code posix_openpt(flags)}, e.g. {@code O_RDWR | O_NOCTTY | O_CLOEXEC}: a new pty master. */
    public static int posixOpenpt(int flags) throws ErrnoException {
        return Libc.call("posix_openpt", null, (a, st) -> (int) PosixOpenpt.H.invokeExact(st, flags));
    }

    /** {@code grantpt(master)}. */
    public static void grantpt(int master) throws ErrnoException {
        Libc.call("grantpt", master, (a, st) -> (int) Grantpt.H.invokeExact(st, master));
    }

    /** {@code unlockpt(master)}. */
    public static void unlockpt(int master) throws ErrnoException {
        Libc.call("unlockpt", master, (a, st) -> (int) Unlockpt.H.invokeExact(st, master));
    }

    /** {@code ptsname_r(master)}: the slave's path, e.g. {@code /dev/pts/3}. */
    public static String ptsname(int master) throws ErrnoException {
        String[] name = new String[1];
        Libc.call("ptsname_r", master, (a, st) -> {
            MemorySegment buf = a.allocate(128);
            int err = (int) PtsnameR.H.invokeExact(st, master, buf, 128L);
            if (err != 0) { // returns the error number itself rather than -1
                throw new ErrnoException("ptsname_r", err, master);
            }
            name[0] = buf.getString(0);
            return 0;
        });
        return name[0];
    }
}
