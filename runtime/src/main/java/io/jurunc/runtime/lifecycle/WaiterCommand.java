package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.sandbox.LaunchFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The process {@code create} leaves behind: the sandbox helper ({@code runtime/src/main/c/sandbox.c}).
 * It starts a session, enters (or creates) the container's namespaces, creates {@link #READY}, blocks
 * on {@link #FIFO} until {@code start}, then reads {@link LaunchFile#NAME}, pivots into the monitor's
 * minimal root, drops to the monitor's user with no capabilities and execs the monitor: one process,
 * no shell, no JVM, so the pid containerd waits on is the monitor's.
 */
final class WaiterCommand {
  /** Appears in the waiter's cmdline and never in the monitor's: tells created from running. */
  static final String MARKER = "jurunc-waiter";
  static final String FIFO = "start.fifo";
  /** Created by the waiter once it runs inside its namespaces. */
  static final String READY = "waiter.ready";
  /** The empty directory the helper mounts the monitor's root on (in its own mount namespace). */
  static final String ROOT = "root";

  private WaiterCommand() {}

  static List<String> build(Path helper, Path stateDir, Optional<Path> netns, String containerId,
      Optional<Path> timestampsFile, boolean terminal) {
    List<String> argv = new ArrayList<>();
    argv.add(helper.toString());
    argv.add(MARKER);
    argv.add(stateDir.toAbsolutePath().toString());
    if (terminal) {
      argv.add("--ctty"); // the pty on stdin becomes the controlling terminal
    }
    if (netns.isPresent()) {
      argv.add("--netns");
      argv.add(netns.get().toString());
    } else {
      argv.add("--new-net");
    }
    timestampsFile.ifPresent(f -> {
      argv.add("--timestamps");
      argv.add(f.toString());
      argv.add("--id");
      argv.add(containerId);
    });
    return argv;
  }
}
