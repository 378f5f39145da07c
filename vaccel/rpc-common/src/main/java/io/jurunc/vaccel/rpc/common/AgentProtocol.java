package io.jurunc.vaccel.rpc.common;

/**
 * Names and limits of vAccel's RPC agent protocol ({@code vaccel.sync.agent.AgentService} over ttrpc).
 */
public final class AgentProtocol {
    public static final String SERVICE = "vaccel.sync.agent.AgentService";
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
    public static final String GENOP = "Genop";
    public static final String GET_PROFILER = "GetProfiler";

    /** Default agent address of vAccel's RPC client and agent. */
    public static final String DEFAULT_ADDRESS = "tcp://127.0.0.1:65500";

    /** Largest ttrpc message, as in vAccel's ttrpc fork (1 GiB). */
    public static final int MAX_MESSAGE_LENGTH = 1 << 30;

    /** Request size above which genop args are chunked (vAccel's streaming client's MAX_REQ_LEN). */
    public static final int CHUNK_REQUEST_LIMIT = 4 << 20;

    /**
     * ttrpc metadata key of jurunc's chunked unary genop: {@code more} (a request part; more follow),
     * {@code last} (the final part; the client accepts a chunked response), {@code continue} (fetch the next
     * response part). Requests without it are plain vAccel genops, answered in one message.
     */
    public static final String CHUNKING_KEY = "vaccel-chunking";

    /** Any type URL of the vAccel error detail. */
    public static final String ERROR_TYPE_URL = "type.googleapis.com/vaccel.ProtoError";

    /** Agent component name for profiling regions. */
    public static final String AGENT_COMPONENT = "vaccel-rpc-agent";
    public static final String CLIENT_COMPONENT = "vaccel-rpc-client";

    private AgentProtocol() {
    }
}
