package io.jurunc.runtime.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * {@link Syscalls} through java.lang.foreign, calling the C library's wrappers with {@code errno}
 * captured per call. The downcall handles are bound on first use (holder class), so merely loading
 * this class costs nothing.
 */
final class LinuxSyscalls implements Syscalls {
  static final LinuxSyscalls INSTANCE = new LinuxSyscalls();

  private LinuxSyscalls() {}

  /** The bound native functions; initialised when a call is first made. */
  private static final class Native {
    static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout STATE = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO =
        STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

    // int open(const char *path, int flags, ...): the mode is passed as the first variadic argument.
    static final MethodHandle OPEN = bind("open",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT),
        Linker.Option.firstVariadicArg(2));
    static final MethodHandle CLOSE = bind("close",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    static final MethodHandle SETNS = bind("setns",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    // int ioctl(int fd, unsigned long request, ...)
    static final MethodHandle IOCTL_PTR = bind("ioctl",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
            ValueLayout.ADDRESS),
        Linker.Option.firstVariadicArg(2));
    static final MethodHandle IOCTL_LONG = bind("ioctl",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG),
        Linker.Option.firstVariadicArg(2));
    static final MethodHandle READ = bind("read",
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG));
    static final MethodHandle WRITE = bind("write",
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG));
    static final MethodHandle KILL = bind("kill",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... extra) {
      SymbolLookup libc = LINKER.defaultLookup();
      MemorySegment symbol = libc.find(name)
          .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
      Linker.Option[] options = new Linker.Option[extra.length + 1];
      options[0] = CAPTURE;
      System.arraycopy(extra, 0, options, 1, extra.length);
      return LINKER.downcallHandle(symbol, fd, options);
    }

    static int errno(MemorySegment state) {
      return (int) ERRNO.get(state, 0L);
    }
  }

  @Override
  public int open(String path, int flags) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Native.STATE);
      int fd = (int) Native.OPEN.invokeExact(state, arena.allocateFrom(path), flags, 0);
      if (fd < 0) {
        throw new ErrnoException("open", Native.errno(state), path);
      }
      return fd;
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("native open failed", t);
    }
  }

  @Override
  public void close(int fd) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Native.STATE);
      int rc = (int) Native.CLOSE.invokeExact(state, fd);
      if (rc < 0) {
        throw new ErrnoException("close", Native.errno(state), Integer.toString(fd));
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("native close failed", t);
    }
  }

  @Override
  public void setns(int fd, int nstype) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Native.STATE);
      int rc = (int) Native.SETNS.invokeExact(state, fd, nstype);
      if (rc < 0) {
        throw new ErrnoException("setns", Native.errno(state));
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("native setns failed", t);
    }
  }

  @Override
  public int ioctl(int fd, long request, byte[] buffer) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Native.STATE);
      MemorySegment buf = arena.allocate(buffer.length);
      MemorySegment.copy(buffer, 0, buf, ValueLayout.JAVA_BYTE, 0, buffer.length);
      int rc = (int) Native.IOCTL_PTR.invokeExact(state, fd, request, buf);
      if (rc < 0) {
        throw new ErrnoException("ioctl", Native.errno(state), "0x" + Long.toHexString(request));
      }
      MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, buffer, 0, buffer.length);
      return rc;
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("native ioctl failed", t);
    }
  }

  @Override
  public int ioctl(int fd, long request, long value) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Native.STATE);
      int rc = (int) Native.IOCTL_LONG.invokeExact(state, fd, request, value);
      if (rc < 0) {
        throw new ErrnoException("ioctl", Native.errno(state), "0x" + Long.toHexString(request));
      }
      return rc;
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("native ioctl failed", t);
    }
  }

  @Override
  public int read(int fd, byte[] buffer) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Native.STATE);
      MemorySegment buf = arena.allocate(Math.max(1, buffer.length));
      long n = (long) Native.READ.invokeExact(state, fd, buf, (long) buffer.length);
      if (n < 0) {
        throw new ErrnoException("read", Native.errno(state), Integer.toString(fd));
      }
      MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, buffer, 0, (int) n);
      return (int) n;
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("native read failed", t);
    }
  }

  @Override
  public int write(int fd, byte[] buffer, int length) throws ErrnoException {
    if (length < 0 || length > buffer.length) {
      throw new IllegalArgumentException("length " + length + " outside the buffer");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Native.STATE);
      MemorySegment buf = arena.allocate(Math.max(1, length));
      MemorySegment.copy(buffer, 0, buf, ValueLayout.JAVA_BYTE, 0, length);
      long n = (long) Native.WRITE.invokeExact(state, fd, buf, (long) length);
      if (n < 0) {
        throw new ErrnoException("write", Native.errno(state), Integer.toString(fd));
      }
      return (int) n;
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("native write failed", t);
    }
  }

  @Override
  public void kill(int pid, int signal) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Native.STATE);
      int rc = (int) Native.KILL.invokeExact(state, pid, signal);
      if (rc < 0) {
        throw new ErrnoException("kill", Native.errno(state), pid + ", " + signal);
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("native kill failed", t);
    }
  }
}
