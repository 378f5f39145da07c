package io.jurunc.e2e.cri;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The CRI {@code runtime.v1.RuntimeService} calls a kubelet makes for one pod, over {@link GrpcUnixClient}.
 * Field numbers are those of the public Kubernetes CRI API ({@code k8s.io/cri-api/pkg/apis/runtime/v1}).
 */
final class CriClient {
    static final String RUNTIME = "runtime.v1.RuntimeService";
    static final long CONTAINER_RUNNING = 1;
    static final long CONTAINER_EXITED = 2;
    static final long SANDBOX_READY = 0;

    private final GrpcUnixClient grpc;
    private final Duration timeout;

    CriClient(Path socket, Duration timeout) {
        this.grpc = new GrpcUnixClient(socket);
        this.timeout = timeout;
    }

    /** PodSandboxConfig: metadata(1){name 1, uid 2, namespace 3}, hostname 2, log_directory 3, annotations 7. */
    static ProtoWriter podConfig(String name, String uid, Path logDir, Map<String, String> annotations) {
        return ProtoWriter.message()
                .message(1, ProtoWriter.message().string(1, name).string(2, uid).string(3, "default"))
                .string(2, name)
                .string(3, logDir.toString())
                .map(7, annotations);
    }

    String version() throws GrpcUnixClient.GrpcCallException {
        return ProtoReader.parse(call("Version", ProtoWriter.message().string(1, "v1")))
                .string(2);
    }

    /** RunPodSandboxRequest{config 1, runtime_handler 2} &rarr; {pod_sandbox_id 1}. */
    String runPodSandbox(ProtoWriter config, String handler) throws GrpcUnixClient.GrpcCallException {
        return ProtoReader.parse(call(
                        "RunPodSandbox",
                        ProtoWriter.message().message(1, config).string(2, handler)))
                .string(1);
    }

    /** PodSandboxStatus &rarr; status(1){state 3, network 5{ip 1}}. */
    long podState(String podId) throws GrpcUnixClient.GrpcCallException {
        return podStatus(podId).varint(3);
    }

    String podIp(String podId) throws GrpcUnixClient.GrpcCallException {
        return podStatus(podId).message(5).string(1);
    }

    private ProtoReader podStatus(String podId) throws GrpcUnixClient.GrpcCallException {
        return ProtoReader.parse(call("PodSandboxStatus", ProtoWriter.message().string(1, podId)))
                .message(1);
    }

    /**
     * CreateContainerRequest{pod_sandbox_id 1, config 2, sandbox_config 3}; ContainerConfig{metadata 1{name 1},
     * image 2{image 1}, command 3, args 4, log_path 11}.
     */
    String createContainer(String podId, ProtoWriter podConfig, String name, String image, List<String> command)
            throws GrpcUnixClient.GrpcCallException {
        ProtoWriter config = ProtoWriter.message()
                .message(1, ProtoWriter.message().string(1, name))
                .message(2, ProtoWriter.message().string(1, image))
                .strings(3, command)
                .string(11, name + ".log");
        return ProtoReader.parse(call(
                        "CreateContainer",
                        ProtoWriter.message()
                                .string(1, podId)
                                .message(2, config)
                                .message(3, podConfig)))
                .string(1);
    }

    /**
     * As {@link #createContainer(String, ProtoWriter, String, String, List)}, with the ContainerConfig's
     * working_dir (5) and envs (6, KeyValue{key 1, value 2}).
     */
    String createContainer(
            String podId,
            ProtoWriter podConfig,
            String name,
            String image,
            List<String> command,
            String workingDir,
            Map<String, String> env)
            throws GrpcUnixClient.GrpcCallException {
        ProtoWriter config = ProtoWriter.message()
                .message(1, ProtoWriter.message().string(1, name))
                .message(2, ProtoWriter.message().string(1, image))
                .strings(3, command)
                .string(5, workingDir);
        env.forEach(
                (k, v) -> config.message(6, ProtoWriter.message().string(1, k).string(2, v)));
        config.string(11, name + ".log");
        return ProtoReader.parse(call(
                        "CreateContainer",
                        ProtoWriter.message()
                                .string(1, podId)
                                .message(2, config)
                                .message(3, podConfig)))
                .string(1);
    }

    /** What ExecSync gave back: the command's stdout and stderr and its exit code. */
    record ExecResult(String stdout, String stderr, int exitCode) {}

    /**
     * ExecSyncRequest{container_id 1, cmd 2 (repeated), timeout 3 (seconds, 0: none)} &rarr;
     * ExecSyncResponse{stdout 1, stderr 2 (bytes), exit_code 3}.
     */
    ExecResult execSync(String id, List<String> cmd, long timeoutSeconds) throws GrpcUnixClient.GrpcCallException {
        ProtoReader r = ProtoReader.parse(call(
                "ExecSync", ProtoWriter.message().string(1, id).strings(2, cmd).varint(3, timeoutSeconds)));
        return new ExecResult(r.string(1), r.string(2), (int) r.varint(3));
    }

    /**
     * The streaming Exec: ExecRequest{container_id 1, cmd 2, tty 3, stdin 4, stdout 5, stderr 6} &rarr;
     * ExecResponse{url 1}, the streaming server's URL to open ({@link CriStream}); stdout and stderr, no
     * stdin, no terminal.
     */
    String exec(String id, List<String> cmd) throws GrpcUnixClient.GrpcCallException {
        return ProtoReader.parse(call(
                        "Exec",
                        ProtoWriter.message()
                                .string(1, id)
                                .strings(2, cmd)
                                .bool(5, true)
                                .bool(6, true)))
                .string(1);
    }

    /**
     * The streaming Exec as {@code kubectl exec -it} asks for it: stdin, stdout and a terminal (the CRI
     * refuses stderr with a terminal: the pty merges it into stdout).
     */
    String execWithTerminal(String id, List<String> cmd) throws GrpcUnixClient.GrpcCallException {
        return ProtoReader.parse(call(
                        "Exec",
                        ProtoWriter.message()
                                .string(1, id)
                                .strings(2, cmd)
                                .bool(3, true)
                                .bool(4, true)
                                .bool(5, true)))
                .string(1);
    }

    void startContainer(String id) throws GrpcUnixClient.GrpcCallException {
        call("StartContainer", ProtoWriter.message().string(1, id));
    }

    /** ContainerStatusResponse{status 1{state 3}}: CREATED 0, RUNNING 1, EXITED 2, UNKNOWN 3. */
    long containerState(String id) throws GrpcUnixClient.GrpcCallException {
        return ProtoReader.parse(call("ContainerStatus", ProtoWriter.message().string(1, id)))
                .message(1)
                .varint(3);
    }

    /** ContainerStatus's state (3), exit_code (7), reason (10) and message (11), for a test's report. */
    String describeContainer(String id) throws GrpcUnixClient.GrpcCallException {
        ProtoReader s = ProtoReader.parse(
                        call("ContainerStatus", ProtoWriter.message().string(1, id)))
                .message(1);
        return "state " + s.varint(3) + ", exit code " + s.varint(7) + ", reason '" + s.string(10) + "', message '"
                + s.string(11) + "'";
    }

    /** StopContainerRequest{container_id 1, timeout 2 (seconds)}. */
    void stopContainer(String id, long timeoutSeconds) throws GrpcUnixClient.GrpcCallException {
        call("StopContainer", ProtoWriter.message().string(1, id).varint(2, timeoutSeconds));
    }

    void removeContainer(String id) throws GrpcUnixClient.GrpcCallException {
        call("RemoveContainer", ProtoWriter.message().string(1, id));
    }

    void stopPodSandbox(String podId) throws GrpcUnixClient.GrpcCallException {
        call("StopPodSandbox", ProtoWriter.message().string(1, podId));
    }

    void removePodSandbox(String podId) throws GrpcUnixClient.GrpcCallException {
        call("RemovePodSandbox", ProtoWriter.message().string(1, podId));
    }

    private byte[] call(String method, ProtoWriter request) throws GrpcUnixClient.GrpcCallException {
        return grpc.call(RUNTIME, method, request.toByteArray(), timeout);
    }
}
