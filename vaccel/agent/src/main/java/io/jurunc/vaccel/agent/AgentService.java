package io.jurunc.vaccel.agent;

import io.jurunc.ttrpc.UnaryHandler;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.proto.GenopProto;
import io.jurunc.vaccel.rpc.proto.ImageProto;
import io.jurunc.vaccel.rpc.proto.ProfilingProto;
import io.jurunc.vaccel.rpc.proto.ResourceProto;
import io.jurunc.vaccel.rpc.proto.SessionProto;
import io.jurunc.vaccel.rpc.proto.TfProto;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The methods of {@code vaccel.sync.agent.AgentService} over a host {@link Vaccel}. TensorFlow Lite and
 * Torch methods are not served (UNIMPLEMENTED): the Java API has the generic model ops only, which
 * travel as the Tensorflow* methods.
 */
public final class AgentService {
    private final AgentState state;

    public AgentService(Vaccel vaccel) {
        this.state = new AgentState(vaccel);
    }

    /** Method name → handler, for {@code TtrpcServer.Builder.register(AgentProtocol.SERVICE, ...)}. */
    public Map<String, UnaryHandler> methods() {
        SessionMethods sessions = new SessionMethods(state);
        ResourceMethods resources = new ResourceMethods(state);
        OpMethods ops = new OpMethods(state);
        ProfilerMethods prof = new ProfilerMethods(state);
        Map<String, UnaryHandler> m = new LinkedHashMap<>();
        m.put(AgentProtocol.CREATE_SESSION, Handlers.of(SessionProto.CreateRequest.parser(), sessions::create));
        m.put(AgentProtocol.UPDATE_SESSION, Handlers.of(SessionProto.UpdateRequest.parser(), sessions::update));
        m.put(AgentProtocol.DESTROY_SESSION, Handlers.of(SessionProto.DestroyRequest.parser(), sessions::destroy));
        m.put(AgentProtocol.REGISTER_RESOURCE, Handlers.of(ResourceProto.RegisterRequest.parser(), resources::register));
        m.put(AgentProtocol.UNREGISTER_RESOURCE, Handlers.of(ResourceProto.UnregisterRequest.parser(), resources::unregister));
        m.put(AgentProtocol.SYNC_RESOURCE, Handlers.of(ResourceProto.SyncRequest.parser(), resources::sync));
        m.put(AgentProtocol.IMAGE_CLASSIFICATION, Handlers.of(ImageProto.Request.parser(), ops::classify));
        m.put(AgentProtocol.GENOP, Handlers.of(GenopProto.Request.parser(), ops::genop));
        m.put(AgentProtocol.TF_MODEL_LOAD, Handlers.of(TfProto.ModelLoadRequest.parser(), ops::modelLoad));
        m.put(AgentProtocol.TF_MODEL_UNLOAD, Handlers.of(TfProto.ModelUnloadRequest.parser(), ops::modelUnload));
        m.put(AgentProtocol.TF_MODEL_RUN, Handlers.of(TfProto.ModelRunRequest.parser(), ops::modelRun));
        m.put(AgentProtocol.GET_PROFILER, Handlers.of(ProfilingProto.Request.parser(), prof::get));
        return m;
    }

    /** Connections that have called at least once and are still open. */
    public int clientCount() {
        return state.clientCount();
    }
}
