package io.jurunc.vaccel.agent;

import io.jurunc.ttrpc.TtrpcServer;
import io.jurunc.ttrpc.UnaryHandler;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.proto.GenopProto;
import io.jurunc.vaccel.rpc.proto.ImageProto;
import io.jurunc.vaccel.rpc.proto.ProfilingProto;
import io.jurunc.vaccel.rpc.proto.ResourceProto;
import io.jurunc.vaccel.rpc.proto.SessionProto;
import io.jurunc.vaccel.rpc.proto.TfProto;
import io.jurunc.vaccel.rpc.proto.TfliteProto;
import io.jurunc.vaccel.rpc.proto.TorchProto;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The methods of vAccel's agent service over a host {@link Vaccel}: sessions, resources, classify, genop
 * (unary and client-streaming), the TensorFlow, TensorFlow Lite and Torch model methods, and GetProfiler.
 * {@link #registerWith} serves the same table under the sync and the async service names.
 */
public final class AgentService {
    private final AgentState state;

    public AgentService(Vaccel vaccel) {
        this(vaccel, AgentPolicy.DEFAULT);
    }

    public AgentService(Vaccel vaccel, AgentPolicy policy) {
        this.state = new AgentState(vaccel, policy);
    }

    /** Registers every method under {@link AgentProtocol#SERVICES}, and GenopStream under each. */
    public void registerWith(TtrpcServer.Builder builder) {
        OpMethods ops = new OpMethods(state);
        for (String service : AgentProtocol.SERVICES) {
            builder.register(service, methods(ops));
            builder.registerClientStream(service, AgentProtocol.GENOP_STREAM, ops::genopStream);
        }
    }

    /** Unary method name → handler. */
    public Map<String, UnaryHandler> methods() {
        return methods(new OpMethods(state));
    }

    private Map<String, UnaryHandler> methods(OpMethods ops) {
        SessionMethods sessions = new SessionMethods(state);
        ResourceMethods resources = new ResourceMethods(state);
        ModelMethods models = new ModelMethods(state);
        ProfilerMethods prof = new ProfilerMethods(state);
        Map<String, UnaryHandler> m = new LinkedHashMap<>();
        m.put(AgentProtocol.CREATE_SESSION, Handlers.of(SessionProto.CreateRequest.parser(), sessions::create));
        m.put(AgentProtocol.UPDATE_SESSION, Handlers.of(SessionProto.UpdateRequest.parser(), sessions::update));
        m.put(AgentProtocol.DESTROY_SESSION, Handlers.of(SessionProto.DestroyRequest.parser(), sessions::destroy));
        m.put(
                AgentProtocol.REGISTER_RESOURCE,
                Handlers.of(ResourceProto.RegisterRequest.parser(), resources::register));
        m.put(
                AgentProtocol.UNREGISTER_RESOURCE,
                Handlers.of(ResourceProto.UnregisterRequest.parser(), resources::unregister));
        m.put(AgentProtocol.SYNC_RESOURCE, Handlers.of(ResourceProto.SyncRequest.parser(), resources::sync));
        m.put(AgentProtocol.IMAGE_CLASSIFICATION, Handlers.of(ImageProto.Request.parser(), ops::classify));
        m.put(AgentProtocol.GENOP, Handlers.of(GenopProto.Request.parser(), ops::genop));
        m.put(AgentProtocol.TF_MODEL_LOAD, Handlers.of(TfProto.ModelLoadRequest.parser(), models::tfLoad));
        m.put(AgentProtocol.TF_MODEL_UNLOAD, Handlers.of(TfProto.ModelUnloadRequest.parser(), models::tfUnload));
        m.put(AgentProtocol.TF_MODEL_RUN, Handlers.of(TfProto.ModelRunRequest.parser(), models::tfRun));
        m.put(AgentProtocol.TFLITE_MODEL_LOAD, Handlers.of(TfliteProto.ModelLoadRequest.parser(), models::tfliteLoad));
        m.put(
                AgentProtocol.TFLITE_MODEL_UNLOAD,
                Handlers.of(TfliteProto.ModelUnloadRequest.parser(), models::tfliteUnload));
        m.put(AgentProtocol.TFLITE_MODEL_RUN, Handlers.of(TfliteProto.ModelRunRequest.parser(), models::tfliteRun));
        m.put(AgentProtocol.TORCH_MODEL_LOAD, Handlers.of(TorchProto.ModelLoadRequest.parser(), models::torchLoad));
        m.put(AgentProtocol.TORCH_MODEL_RUN, Handlers.of(TorchProto.ModelRunRequest.parser(), models::torchRun));
        m.put(AgentProtocol.GET_PROFILER, Handlers.of(ProfilingProto.Request.parser(), prof::get));
        return m;
    }

    /** Connections that have called at least once and are still open. */
    public int clientCount() {
        return state.clientCount();
    }
}
