package io.jurunc.e2e.support;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The jurunc shim daemons serving one containerd, found by their command line. */
public final class ShimDaemons {
    private ShimDaemons() {}

    /** The pids of the daemons (command line: the shim's main class, {@code -socket}, the containerd's address). */
    public static List<Long> of(PrivateContainerd containerd) {
        String address = containerd.address().toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .arguments()
                        .map(a -> List.of(a).contains("io.jurunc.shim.ShimMain")
                                && List.of(a).contains("-socket")
                                && List.of(a).contains(address))
                        .orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }

    /**
     * SIGTERMs the daemons and waits up to 20 s for each to exit (then SIGKILLs it); a daemon that exits
     * removes its socket, lock and log.
     */
    public static void stop(PrivateContainerd containerd) {
        for (long pid : of(containerd)) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                try {
                    p.onExit().get(20, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    p.destroyForcibly();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }
}
