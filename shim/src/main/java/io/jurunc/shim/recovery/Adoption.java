package io.jurunc.shim.recovery;

import io.jurunc.shim.backend.BackendException;
import io.jurunc.shim.backend.BackendSelector;
import io.jurunc.shim.backend.ContainerBackend;
import io.jurunc.shim.backend.RuncStyleBackend;
import io.jurunc.shim.os.OsException;
import io.jurunc.shim.os.ShimOs;
import java.util.function.Consumer;

/**
 * A daemon JVM started by the holder after a crash takes over the tasks its predecessor journaled, before
 * it serves (so the requests the holder sends again find them): a task caught in Create is undone (runtime
 * state force-deleted, rootfs unmounted, journal removed) and the Create the holder sends again for it is
 * refused (the client's stdio went with the first attempt), so that containerd cleans up as after any failed
 * create; every other task is adopted with the backend recorded in its bundle.
 */
public final class Adoption {
    private final TaskJournal journal;
    private final BackendSelector selector;
    private final ShimOs os;
    private final Consumer<String> log;

    public Adoption(TaskJournal journal, BackendSelector selector, ShimOs os, Consumer<String> log) {
        this.journal = journal;
        this.selector = selector;
        this.os = os;
        this.log = log;
    }

    /** Returns how many tasks were adopted. */
    public int run(Adopter service) {
        int adopted = 0;
        for (TaskRecord r : journal.load()) {
            ContainerBackend backend;
            try {
                backend = selector.recorded(r.bundle());
            } catch (BackendException e) {
                log.accept("cannot tell the backend of " + r.id() + " (" + e.getMessage() + "): forgetting it");
                journal.remove(r.id());
                continue;
            }
            if (backend instanceof RuncStyleBackend runc) {
                runc.knowing(r.id(), r.bundle());
            }
            if (r.phase() == TaskRecord.Phase.CREATING) {
                undoCreate(r, backend);
                service.undoneCreate(r.id());
                continue;
            }
            service.adopt(r, backend);
            adopted++;
        }
        return adopted;
    }

    private void undoCreate(TaskRecord r, ContainerBackend backend) {
        log.accept("task " + r.id() + " was being created when the daemon died: undoing it");
        try {
            backend.delete(r.id(), true);
        } catch (BackendException e) {
            if (e.kind() != BackendException.Kind.NOT_FOUND) {
                log.accept("undoing the create of " + r.id() + ": " + e.getMessage());
            }
        }
        if (r.rootfsMounted()) {
            try {
                os.unmount(r.bundle().resolve("rootfs"));
            } catch (OsException e) {
                log.accept("undoing the create of " + r.id() + ": " + e.getMessage());
            }
        }
        journal.remove(r.id());
    }
}
