package io.jurunc.vaccel.exec;

import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.Errno;
import io.jurunc.vaccel.VaccelException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.List;

/**
 * dlopen/dlsym/dlclose from libc and the exec call, through {@code java.lang.foreign}. Arguments are
 * copied into a confined arena as {@code struct vaccel_arg} arrays; after the call the native write
 * buffers are copied back into the Java write args. Stateless apart from the method handles, which are
 * created on first use.
 */
public final class NativeDynamicLoader implements DynamicLoader {
    private static final int RTLD_LAZY = 0x1;
    private static final int RTLD_NOW = 0x2;
    private static final int RTLD_GLOBAL = 0x100;

    /** {@code struct vaccel_arg { void *buf; size_t size; vaccel_arg_type_t type; uint32_t custom_type_id; bool owned; }} */
    static final StructLayout VACCEL_ARG = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("buf"),
            ValueLayout.JAVA_LONG.withName("size"),
            ValueLayout.JAVA_INT.withName("type"),
            ValueLayout.JAVA_INT.withName("custom_type_id"),
            ValueLayout.JAVA_BOOLEAN.withName("owned"),
            MemoryLayout.paddingLayout(7));

    private static final VarHandle BUF = VACCEL_ARG.varHandle(MemoryLayout.PathElement.groupElement("buf"));
    private static final VarHandle SIZE = VACCEL_ARG.varHandle(MemoryLayout.PathElement.groupElement("size"));
    private static final VarHandle TYPE = VACCEL_ARG.varHandle(MemoryLayout.PathElement.groupElement("type"));
    private static final VarHandle CUSTOM =
            VACCEL_ARG.varHandle(MemoryLayout.PathElement.groupElement("custom_type_id"));
    private static final VarHandle OWNED = VACCEL_ARG.varHandle(MemoryLayout.PathElement.groupElement("owned"));

    private record Handles(
            MethodHandle dlopen, MethodHandle dlsym, MethodHandle dlclose, MethodHandle dlerror, MethodHandle exec) {}

    private volatile Handles handles;

    private Handles handles() {
        Handles h = handles;
        if (h == null) {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            AddressLayout cstr = ValueLayout.ADDRESS.withTargetLayout(
                    MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE));
            h = new Handles(
                    linker.downcallHandle(
                            find(libc, "dlopen"),
                            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT)),
                    linker.downcallHandle(
                            find(libc, "dlsym"),
                            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS)),
                    linker.downcallHandle(
                            find(libc, "dlclose"), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS)),
                    linker.downcallHandle(find(libc, "dlerror"), FunctionDescriptor.of(cstr)),
                    linker.downcallHandle(FunctionDescriptor.of(
                            ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS,
                            ValueLayout.JAVA_LONG,
                            ValueLayout.ADDRESS,
                            ValueLayout.JAVA_LONG)));
            handles = h;
        }
        return h;
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new VaccelException(Errno.ELIBBAD, "libc has no " + name));
    }

    private record NativeHandle(Path path, MemorySegment address) implements Handle {}

    @Override
    public Handle open(Path library, Mode mode, boolean global) {
        Handles h = handles();
        int flags = (mode == Mode.LAZY ? RTLD_LAZY : RTLD_NOW) | (global ? RTLD_GLOBAL : 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = (MemorySegment) h.dlopen().invokeExact(arena.allocateFrom(library.toString()), flags);
            if (addr.equals(MemorySegment.NULL)) {
                throw new VaccelException(Errno.ELIBBAD, "dlopen " + library + " failed: " + dlerror(h));
            }
            return new NativeHandle(library, addr);
        } catch (VaccelException e) {
            throw e;
        } catch (Throwable t) {
            throw new VaccelException(Errno.ELIBBAD, "dlopen " + library + " failed: " + t, t);
        }
    }

    @Override
    public ExecFunction symbol(Handle handle, String symbol) {
        Handles h = handles();
        MemorySegment fn;
        try (Arena arena = Arena.ofConfined()) {
            fn = (MemorySegment) h.dlsym().invokeExact(((NativeHandle) handle).address(), arena.allocateFrom(symbol));
        } catch (Throwable t) {
            throw new VaccelException(Errno.ENOSYS, "dlsym " + symbol + " failed: " + t, t);
        }
        if (fn.equals(MemorySegment.NULL)) {
            throw new VaccelException(
                    Errno.ENOSYS, "symbol " + symbol + " not found in " + handle.path() + ": " + dlerror(h));
        }
        return (read, write) -> invoke(h.exec(), fn, read, write);
    }

    private static int invoke(MethodHandle exec, MemorySegment fn, List<Arg> read, List<Arg> write) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = marshal(arena, read);
            MemorySegment w = marshal(arena, write);
            int rc = (int) exec.invokeExact(fn, r, (long) read.size(), w, (long) write.size());
            for (int i = 0; i < write.size(); i++) {
                MemorySegment arg = w.asSlice(i * VACCEL_ARG.byteSize(), VACCEL_ARG);
                MemorySegment buf = (MemorySegment) BUF.get(arg, 0L);
                byte[] dst = write.get(i).buffer();
                if (!buf.equals(MemorySegment.NULL) && dst.length > 0) {
                    MemorySegment.copy(buf.reinterpret(dst.length), ValueLayout.JAVA_BYTE, 0, dst, 0, dst.length);
                }
            }
            return rc;
        } catch (Throwable t) {
            throw new VaccelException(Errno.EBACKEND, "exec call failed: " + t, t);
        }
    }

    private static MemorySegment marshal(Arena arena, List<Arg> args) {
        if (args.isEmpty()) {
            return MemorySegment.NULL;
        }
        MemorySegment array = arena.allocate(VACCEL_ARG, args.size());
        for (int i = 0; i < args.size(); i++) {
            Arg a = args.get(i);
            MemorySegment slot = array.asSlice(i * VACCEL_ARG.byteSize(), VACCEL_ARG);
            MemorySegment buf = a.size() == 0 ? MemorySegment.NULL : arena.allocate(a.size(), 8);
            if (a.size() > 0) {
                MemorySegment.copy(a.buffer(), 0, buf, ValueLayout.JAVA_BYTE, 0, a.size());
            }
            BUF.set(slot, 0L, buf);
            SIZE.set(slot, 0L, (long) a.size());
            TYPE.set(slot, 0L, a.type().wire());
            CUSTOM.set(slot, 0L, a.customTypeId());
            OWNED.set(slot, 0L, false);
        }
        return array;
    }

    @Override
    public void close(Handle handle) {
        Handles h = handles();
        try {
            int rc = (int) h.dlclose().invokeExact(((NativeHandle) handle).address());
            if (rc != 0) {
                throw new VaccelException(Errno.ELIBBAD, "dlclose " + handle.path() + " failed: " + dlerror(h));
            }
        } catch (VaccelException e) {
            throw e;
        } catch (Throwable t) {
            throw new VaccelException(Errno.ELIBBAD, "dlclose " + handle.path() + " failed: " + t, t);
        }
    }

    private static String dlerror(Handles h) {
        try {
            MemorySegment msg = (MemorySegment) h.dlerror().invokeExact();
            return msg.equals(MemorySegment.NULL) ? "unknown error" : msg.getString(0);
        } catch (Throwable t) {
            return "unknown error (" + t + ")";
        }
    }
}
