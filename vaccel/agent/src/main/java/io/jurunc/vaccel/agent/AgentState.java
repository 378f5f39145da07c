package io.jurunc.vaccel.agent;

import io.jurunc.ttrpc.CallContext;
import io.jurunc.ttrpc.TtrpcException;
import io.jurunc.vaccel.Resource;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.prof.Profiler;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.common.ErrorCodec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's shared state: the host vAccel instance, per-client ownership (released when a client
 * disconnects) and per-session agent profilers.
 */
final class AgentState {
    private final Vaccel vaccel;
    private final Map<Long, ClientState> clients = new ConcurrentHashMap<>();
    private final Map<Long, Profiler> profilers = new ConcurrentHashMap<>();

    private final AgentPolicy policy;

    AgentState(Vaccel vaccel, AgentPolicy policy) {
        this.vaccel = vaccel;
        this.policy = policy;
    }

    AgentPolicy policy() {
        return policy;
    }

    Vaccel vaccel() {
        return vaccel;
    }

    /** The caller's state; the first call of a connection registers its release on disconnect. */
    ClientState client(CallContext ctx) {
        ClientState c = clients.get(ctx.connectionId());
        if (c != null) {
            return c;
        }
        ClientState fresh = new ClientState(ctx.connectionId());
        ClientState prev = clients.putIfAbsent(ctx.connectionId(), fresh);
        if (prev != null) {
            return prev;
        }
        // Runs at once if the connection is already gone; ownership recorded later is then refused.
        ctx.onClose(() -> release(fresh));
        return fresh;
    }

    /**
     * The session, if the calling connection created it: another client's session is answered exactly like
     * one that does not exist, so ids can neither be used nor probed across connections.
     */
    Session session(CallContext ctx, long id) throws TtrpcException {
        if (!client(ctx).sessions.contains(id)) {
            throw ErrorCodec.notFound("Unknown session " + id);
        }
        return vaccel.session(id).orElseThrow(() -> ErrorCodec.notFound("Unknown session " + id));
    }

    /** The resource, if the calling connection created it (see {@link #session}). */
    Resource resource(CallContext ctx, long id) throws TtrpcException {
        if (!client(ctx).resources.contains(id)) {
            throw ErrorCodec.notFound("Unknown resource " + id);
        }
        return vaccel.resource(id).orElseThrow(() -> ErrorCodec.notFound("Unknown resource " + id));
    }

    Profiler profiler(long sessionId) {
        return profilers.computeIfAbsent(
                sessionId,
                id -> new Profiler(
                        AgentProtocol.AGENT_COMPONENT, vaccel.config().profilingEnabled()));
    }

    /** Destroys a session and every agent-created resource left with no session. */
    void destroySession(ClientState owner, Session s) {
        s.close();
        profilers.remove(s.id());
        owner.sessions.remove(s.id());
        for (Long rid : owner.resources) {
            vaccel.resource(rid).ifPresent(r -> releaseIfUnused(owner, r));
        }
    }

    void releaseIfUnused(ClientState owner, Resource r) {
        if (r.refcount() == 0) {
            r.close();
            owner.resources.remove(r.id());
        }
    }

    /** A client went away: its sessions and resources are released. */
    void release(ClientState c) {
        c.markClosed();
        clients.remove(c.connectionId, c);
        for (Long sid : c.sessions) {
            vaccel.session(sid).ifPresent(s -> {
                try {
                    destroySession(c, s);
                } catch (RuntimeException e) {
                    vaccel.log().warn("releasing session " + sid + " of a closed client failed: " + e.getMessage());
                }
            });
        }
        for (Long rid : c.resources) {
            vaccel.resource(rid).ifPresent(r -> releaseIfUnused(c, r));
        }
        vaccel.log()
                .debug(() ->
                        "client connection " + c.connectionId + " closed; its sessions and resources are released");
    }

    int clientCount() {
        return clients.size();
    }
}
