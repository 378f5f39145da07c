package io.jurunc.shim.recovery;

import io.jurunc.shim.backend.ContainerBackend;

/**
 * What takes over the journaled tasks after a crash: the task service. Declared here so that recovery does
 * not depend on the task package (which depends on recovery for its journal).
 */
public interface Adopter {
    /** Takes over a task that was created, running or exited when the previous daemon died. */
    void adopt(TaskRecord record, ContainerBackend backend);

    /** A task caught in Create was undone: its Create, sent again by the holder, is to be refused. */
    void undoneCreate(String id);
}
