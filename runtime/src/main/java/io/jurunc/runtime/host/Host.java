package io.jurunc.runtime.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The OS boundary of the lifecycle operations. {@code RecordingHost} in tests fakes it. */
public interface Host {
  /** Starts {@code argv} with the given stdio; the child outlives this JVM. */
  Spawned spawn(List<String> argv, Stdio stdio) throws HostException;

  /** Sends a signal; returns false if the process no longer exists. */
  boolean signal(long pid, int signal) throws HostException;

  /** The process as /proc shows it, or empty if it does not exist. */
  Optional<ProcessInfo> inspect(long pid);

  void mkfifo(Path path) throws HostException;

  /** runc's console-socket protocol: sends a pty master to the socket, returns the slave's path. */
  Path sendConsole(Path consoleSocket) throws HostException;

  /** Opens a FIFO for writing without blocking, writes one line, closes; false if no reader. */
  boolean pokeFifo(Path path) throws HostException;
}
