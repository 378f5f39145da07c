package io.jurunc.runtime.lifecycle;

import io.jurunc.oci.State;
import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.state.ContainerRecord;
import io.jurunc.runtime.state.ContainerStatus;
import java.util.ArrayList;
import java.util.List;

/** {@code state}, {@code list} and {@code ps}: what the container is doing now. */
public final class StateQuery {
    private final RuntimeContext ctx;

    public StateQuery(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    public State run(String id) throws JuruncException {
        return toState(Containers.load(ctx, id));
    }

    public List<State> all() throws JuruncException {
        List<State> out = new ArrayList<>();
        for (var id : ctx.store().list()) {
            try {
                out.add(toState(ctx.store().load(id)));
            } catch (JuruncException e) {
                ctx.log().accept("skipping " + id + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** The container's processes: the monitor's pid while it lives. */
    public List<Long> pids(String id) throws JuruncException {
        ContainerRecord r = Containers.load(ctx, id);
        return StatusResolver.alive(r, ctx.host()) ? List.of(r.pid()) : List.of();
    }

    private State toState(ContainerRecord r) {
        ContainerStatus s = StatusResolver.resolve(r, ctx.host());
        int pid = s == ContainerStatus.STOPPED ? 0 : (int) r.pid();
        return new State(
                r.ociVersion() == null ? "1.0.2" : r.ociVersion(),
                r.id(),
                s.ociName(),
                pid,
                r.bundle(),
                r.annotations());
    }
}
