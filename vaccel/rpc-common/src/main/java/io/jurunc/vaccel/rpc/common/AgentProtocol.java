package io.jurunc.vaccel.rpc.common;

/**
 * Names and limits of vAccel's RPC agent protocol ({@code vaccel.sync.agent.AgentService}, or
 * {@code vaccel.asynchronous.agent.AgentService} for vAccel's async builds, over ttrpc), as of vaccel-rust
 * v0.5.0+vaccel.0.8.0.
 */
public final class AgentProtocol {
    /** The service name of vAccel's sync builds (what the rpc plugin calls). */
    public static final String SERVICE = "vaccel.sync.agent.AgentService";
    /** The service name of vAccel's async builds (same methods plus the client-streaming GenopStream). */
    public static final String ASYNC_SERVICE = "vaccel.asynchronous.agent.AgentService";

    public static final java.util.List<String> SERVICES = java.util.List.of(SERVICE, ASYNC_SERVICE);
    public static final String CREATE_SESSION = "CreateSession";
    public static final String UPDATE_SESSION = "UpdateSession";
    public static final String DESTROY_SESSION = "DestroySession";
    public static final String REGISTER_RESOURCE = "RegisterResource";
    public static final String UNREGISTER_RESOURCE = "UnregisterResource";
    public static final String SYNC_RESOURCE = "SyncResource";
    public static final String IMAGE_CLASSIFICATION = "ImageClassification";
    public static final String TF_MODEL_LOAD = "TensorflowModelLoad";
    public static final String TF_MODEL_UNLOAD = "TensorflowModelUnload";
    public static final String TF_MODEL_RUN = "TensorflowModelRun";
    public static final String TFLITE_MODEL_LOAD = "TensorflowLiteModelLoad";
    public static final String TFLITE_MODEL_UNLOAD = "TensorflowLiteModelUnload";
    public static final String TFLITE_MODEL_RUN = "TensorflowLiteModelRun";
    public static final String TORCH_MODEL_LOAD = "TorchModelLoad";
    public static final String TORCH_MODEL_RUN = "TorchModelRun";
    public static final String GENOP = "Genop";
    /** Client-streaming genop ({@code stream genop.Request → genop.Response}). */
    public static final String GENOP_STREAM = "GenopStream";

    public static final String GET_PROFILER = "GetProfiler";

    /** Default agent address of vAccel's RPC client and agent. */
    public static final String DEFAULT_ADDRESS = "tcp://127.0.0.1:65500";

    /** Largest ttrpc message, as in vAccel's ttrpc fork (1 GiB). */
    public static final int MAX_MESSAGE_LENGTH = 1 << 30;

    /** Largest message of a GenopStream (vAccel's streaming client's MAX_REQ_LEN); larger args are split. */
    public static final int CHUNK_REQUEST_LIMIT = 4 << 20;

    /** Bytes the classify answer always carries: vAccel's agent answers a zero-padded 1024-byte tags buffer. */
    public static final int CLASSIFY_TAGS_LEN = 1024;

    /** Any type URL of the vAccel error detail. */
    public static final String ERROR_TYPE_URL = "type.googleapis.com/vaccel.ProtoError";

    /** Agent component name for profiling regions. */
    public static final String AGENT_COMPONENT = "vaccel-rpc-agent";

    public static final String CLIENT_COMPONENT = "vaccel-rpc-client";

    private AgentProtocol() {}
}
