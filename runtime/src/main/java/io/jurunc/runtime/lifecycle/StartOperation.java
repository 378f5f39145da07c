package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.host.ProcessInfo;
import io.jurunc.runtime.state.ContainerRecord;
import io.jurunc.runtime.state.ContainerStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code start}: releases the waiter, which execs the monitor under the same pid, and waits until
 * the exec has happened so that a monitor that cannot start is reported here, not later.
 */
public final class StartOperation {
  private static final long EXEC_TIMEOUT_NANOS = 5_000_000_000L;
  private final RuntimeContext ctx;

  public StartOperation(RuntimeContext ctx) {
    this.ctx = ctx;
  }

  public ContainerRecord run(String id) throws JuruncException {
    ctx.timestamps().mark(id, "start.invoked");
    ContainerRecord r = Containers.load(ctx, id);
    ContainerStatus status = StatusResolver.resolve(r, ctx.host());
    if (!status.canStart()) {
      throw new ContainerStateException("cannot start container '" + id + "': it is " + status.ociName()
          + (status == ContainerStatus.STOPPED ? " (its process exited; delete it and create it again)" : ""));
    }
    if (!ctx.host().pokeFifo(Path.of(r.startFifo()))) {
      throw new ContainerStateException("cannot start container '" + id + "': its waiting process is gone");
    }
    ctx.timestamps().mark(id, "start.released");
    awaitExec(r);
    ContainerRecord running = r.withStatus(ContainerStatus.RUNNING);
    ctx.store().save(running);
    ctx.timestamps().mark(id, "start.done");
    return running;
  }

  private void awaitExec(ContainerRecord r) throws JuruncException {
    long deadline = System.nanoTime() + EXEC_TIMEOUT_NANOS;
    while (System.nanoTime() < deadline) {
      Optional<ProcessInfo> p = ctx.host().inspect(r.pid());
      if (p.isEmpty() || p.get().isZombie()) {
        throw new SandboxException("the monitor of container '" + r.id() + "' exited at once ("
            + String.join(" ", r.monitorArgv()) + "); its output went to the container's stdout/stderr");
      }
      if (!cmdline(r.pid()).contains(WaiterCommand.MARKER)) {
        return;
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(0, 200_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new SandboxException("container '" + r.id() + "': the monitor did not start within 5 s");
  }

  private static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")));
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
