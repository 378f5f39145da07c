package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.state.ContainerRecord;

/** Shared loading for the operations on an existing container. */
final class Containers {
    private Containers() {}

    static ContainerRecord load(RuntimeContext ctx, String id) throws JuruncException {
        return ctx.store().load(CreateOperation.parseId(id));
    }
}
