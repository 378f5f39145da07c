package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.timestamps.FileTimestamps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The process {@code create} leaves behind. It enters (or creates) the container's namespaces,
 * blocks on a FIFO until {@code start}, then execs the monitor, so that the pid containerd
 * waits on is the monitor's. Every step is an exec without fork: setsid (not a group leader),
 * unshare/nsenter (no pid namespace), sh's exec.
 */
final class WaiterCommand {
  /** Appears in the waiter's cmdline and never in the monitor's: tells created from running. */
  static final String MARKER = "jurunc-waiter";
  static final String FIFO = "start.fifo";
  static final String SCRIPT = "monitor.sh";
  /** Created by the waiter (a shell builtin, no fork) once it runs inside its namespaces. */
  static final String READY = "waiter.ready";

  private WaiterCommand() {}

  /**
   * @param monitorScript written by start: {@code exec '<monitor>' '<arg>'…}, sourced by the waiter once
   *     the FIFO releases it (the argv depends on the network, which exists only by start)
   */
  static List<String> build(Path fifo, Path monitorScript, Optional<Path> netns, String containerId,
      Optional<Path> timestampsFile, boolean terminal) {
    List<String> argv = new ArrayList<>();
    argv.add("setsid");
    if (terminal) {
      argv.add("--ctty"); // the pty on stdin becomes the controlling terminal
    }
    argv.add("unshare");
    argv.add("--ipc");
    argv.add("--uts");
    if (netns.isEmpty()) {
      argv.add("--net");
    }
    if (netns.isPresent()) {
      argv.add("nsenter");
      argv.add("--net=" + netns.get());
      argv.add("--");
    }
    String scriptFile = monitorScript.toString();
    String readyFile = fifo.resolveSibling(READY).toString();
    StringBuilder script = new StringBuilder(": " + MARKER + "; : > \"$2\"; read _ < \"$0\" || exit 1; ");
    timestampsFile.ifPresent(f ->
        script.append(FileTimestamps.shellRecord(containerId, "monitor.exec", f)).append("; "));
    script.append(". \"$1\"");
    argv.add("/bin/sh");
    argv.add("-c");
    argv.add(script.toString());
    argv.add(fifo.toString());
    argv.add(scriptFile);
    argv.add(readyFile);
    return argv;
  }

  /** The script start writes: one exec of the monitor, every word single-quoted. */
  static String execScript(List<String> argv) {
    StringBuilder b = new StringBuilder("exec");
    for (String a : argv) {
      b.append(" '").append(a.replace("'", "'\\''")).append('\'');
    }
    return b.append('\n').toString();
  }
}
