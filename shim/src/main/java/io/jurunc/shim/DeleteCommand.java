package io.jurunc.shim;

import io.jurunc.shim.backend.BackendException;
import io.jurunc.shim.backend.BackendSelector;
import io.jurunc.shim.backend.ContainerBackend;
import io.jurunc.shim.events.OrderedPublisher;
import io.jurunc.shim.os.OsException;
import io.jurunc.shim.os.ShimOs;
import io.jurunc.shim.proto.task.DeleteResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * {@code shim delete}: containerd lost the daemon, so clean up without it: force-delete the container in
 * the backend that created it, unmount the rootfs, and answer with a {@code DeleteResponse} whose exit
 * status is 128 + SIGKILL (as the runc shim reports).
 */
public final class DeleteCommand {
    static final int KILLED_STATUS = 128 + 9;

    private final ShimOs os;
    private final BackendSelector selector;
    private final Consumer<String> warn;

    public DeleteCommand(ShimOs os, BackendSelector selector, Consumer<String> warn) {
        this.os = os;
        this.selector = selector;
        this.warn = warn;
    }

    public byte[] run(String id, Path bundle, Instant now) {
        int pid = 0;
        try {
            pid = Integer.parseInt(Files.readString(bundle.resolve("init.pid")).strip());
        } catch (IOException | NumberFormatException ignored) {
            // never created, or the pid file is gone
        }
        try {
            ContainerBackend backend = selector.recorded(bundle);
            backend.delete(id, true);
        } catch (BackendException e) {
            if (e.kind() != BackendException.Kind.NOT_FOUND) {
                warn.accept("delete " + id + ": " + e.getMessage());
            }
        }
        try {
            os.unmount(bundle.resolve("rootfs"));
        } catch (OsException e) {
            warn.accept(e.getMessage());
        }
        return DeleteResponse.newBuilder()
                .setPid(pid)
                .setExitStatus(KILLED_STATUS)
                .setExitedAt(OrderedPublisher.timestamp(now))
                .build()
                .toByteArray();
    }
}
