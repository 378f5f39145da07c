package io.jurunc.runtime.host;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@link Host} on Linux: ProcessBuilder for spawning, FFM for kill/mkfifo/open, /proc for state. */
public final class LinuxHost implements Host {
  private static final int O_WRONLY = 1;
  private static final int O_NONBLOCK = 0x800;
  private static final int O_CLOEXEC = 0x80000;
  private static final int ESRCH = 3;
  private static final int ENXIO = 6;
  private static final int EEXIST = 17;

  /** Native handles, built on first use only. */
  private static final class Native {
    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LIBC = LINKER.defaultLookup();
    static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    static final VarHandle ERRNO_HANDLE = Linker.Option.captureStateLayout()
        .varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    static final MethodHandle KILL = handle("kill",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    static final MethodHandle MKFIFO = handle("mkfifo",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    static final MethodHandle OPEN = handle("open",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    static final MethodHandle WRITE = handle("write",
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    static final MethodHandle CLOSE = handle("close",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    static MethodHandle handle(String name, FunctionDescriptor fd) {
      return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), fd, ERRNO);
    }

    static String strerror(int errno) {
      try {
        return ((MemorySegment) STRERROR.invokeExact(errno)).reinterpret(256).getString(0);
      } catch (Throwable t) {
        return "errno " + errno;
      }
    }
  }

  @Override
  public Spawned spawn(List<String> argv, Stdio stdio) throws HostException {
    ProcessBuilder pb = new ProcessBuilder(argv);
    switch (stdio) {
      case Stdio.Inherit i -> pb.inheritIO();
      case Stdio.Paths p -> {
        pb.redirectInput(p.stdin().map(Path::toFile).orElse(new File("/dev/null")));
        pb.redirectOutput(p.stdout().map(f -> ProcessBuilder.Redirect.appendTo(f.toFile()))
            .orElse(ProcessBuilder.Redirect.DISCARD));
        pb.redirectError(p.stderr().map(f -> ProcessBuilder.Redirect.appendTo(f.toFile()))
            .orElse(ProcessBuilder.Redirect.DISCARD));
      }
    }
    try {
      Process process = pb.start();
      long pid = process.pid();
      long start = inspect(pid).map(ProcessInfo::startTime).orElse(0L);
      return new Spawned(pid, start, Optional.of(process));
    } catch (IOException e) {
      throw new HostException("cannot start " + argv.getFirst() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean signal(long pid, int signal) throws HostException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
      int rc = (int) Native.KILL.invokeExact(state, (int) pid, signal);
      if (rc == 0) return true;
      int errno = (int) Native.ERRNO_HANDLE.get(state, 0L);
      if (errno == ESRCH) return false;
      throw new HostException("kill(" + pid + ", " + signal + "): " + Native.strerror(errno));
    } catch (HostException e) {
      throw e;
    } catch (Throwable t) {
      throw new HostException("kill(" + pid + "): " + t, t);
    }
  }

  @Override
  public Optional<ProcessInfo> inspect(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    String stat;
    try {
      stat = Files.readString(proc.resolve("stat"));
    } catch (IOException e) {
      return Optional.empty();
    }
    // comm may contain spaces and parentheses: fields start after the last ')'.
    int close = stat.lastIndexOf(')');
    if (close < 0) return Optional.empty();
    String[] f = stat.substring(close + 2).trim().split(" ");
    char state = f[0].charAt(0);
    long start = Long.parseLong(f[19]); // field 22 overall; f[0] is field 3
    String exe = "";
    try {
      exe = Files.readSymbolicLink(proc.resolve("exe")).toString();
    } catch (IOException | UnsupportedOperationException e) {
      // zombie or kernel thread
    }
    return Optional.of(new ProcessInfo(pid, state, start, exe));
  }

  @Override
  public void mkfifo(Path path) throws HostException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
      int rc = (int) Native.MKFIFO.invokeExact(state, arena.allocateFrom(path.toString()), 0600);
      if (rc != 0) {
        int errno = (int) Native.ERRNO_HANDLE.get(state, 0L);
        if (errno != EEXIST) throw new HostException("mkfifo " + path + ": " + Native.strerror(errno));
      }
    } catch (HostException e) {
      throw e;
    } catch (Throwable t) {
      throw new HostException("mkfifo " + path + ": " + t, t);
    }
  }

  @Override
  public Path sendConsole(Path consoleSocket) throws HostException {
    return ConsoleSocket.sendPtyMaster(consoleSocket);
  }

  @Override
  public boolean pokeFifo(Path path) throws HostException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
      int fd = (int) Native.OPEN.invokeExact(state, arena.allocateFrom(path.toString()),
          O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (fd < 0) {
        int errno = (int) Native.ERRNO_HANDLE.get(state, 0L);
        if (errno == ENXIO || errno == 2) return false; // no reader / gone
        throw new HostException("open " + path + ": " + Native.strerror(errno));
      }
      try {
        MemorySegment buf = arena.allocateFrom("start\n");
        long n = (long) Native.WRITE.invokeExact(state, fd, buf, 6L);
        if (n != 6) {
          int errno = (int) Native.ERRNO_HANDLE.get(state, 0L);
          throw new HostException("write " + path + ": " + Native.strerror(errno));
        }
        return true;
      } finally {
        int ignored = (int) Native.CLOSE.invokeExact(state, fd);
      }
    } catch (HostException e) {
      throw e;
    } catch (Throwable t) {
      throw new HostException("poke " + path + ": " + t, t);
    }
  }
}
