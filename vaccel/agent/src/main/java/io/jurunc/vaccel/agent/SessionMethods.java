package io.jurunc.vaccel.agent;

import com.google.protobuf.Empty;
import io.jurunc.ttrpc.CallContext;
import io.jurunc.ttrpc.StatusCode;
import io.jurunc.ttrpc.TtrpcException;
import io.jurunc.vaccel.PluginType;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.rpc.proto.SessionProto;

/** CreateSession, UpdateSession, DestroySession: every remote session is a real host session. */
final class SessionMethods {
    private final AgentState state;

    SessionMethods(AgentState state) {
        this.state = state;
    }

    SessionProto.CreateResponse create(SessionProto.CreateRequest req, CallContext ctx) throws TtrpcException {
        ClientState c = state.client(ctx);
        Session s = state.vaccel().createSession(req.getFlags() & ~PluginType.REMOTE);
        if (!c.ownSession(s.id())) {
            s.close();
            throw new TtrpcException(StatusCode.UNAVAILABLE, "client connection closed");
        }
        return SessionProto.CreateResponse.newBuilder().setSessionId(s.id()).build();
    }

    Empty update(SessionProto.UpdateRequest req, CallContext ctx) throws TtrpcException {
        state.session(ctx, req.getSessionId()).update(req.getFlags() & ~PluginType.REMOTE);
        return Empty.getDefaultInstance();
    }

    Empty destroy(SessionProto.DestroyRequest req, CallContext ctx) throws TtrpcException {
        Session s = state.session(ctx, req.getSessionId());
        state.destroySession(state.client(ctx), s);
        return Empty.getDefaultInstance();
    }
}
