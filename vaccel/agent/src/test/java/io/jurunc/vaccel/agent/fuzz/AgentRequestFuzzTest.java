package io.jurunc.vaccel.agent.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jurunc.ttrpc.TtrpcAddress;
import io.jurunc.ttrpc.proto.Request;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.agent.Agent;
import io.jurunc.vaccel.noop.NoopPlugin;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the agent's request handling (issue 11): any service, method and payload a
 * client sends is answered with a RESPONSE on its stream, and the agent keeps serving; a missing answer
 * (hang, crash, dropped connection) is a bug. The corpus is in
 * src/test/resources/io/jurunc/vaccel/agent/fuzz/AgentRequestFuzzTestInputs/.
 */
class AgentRequestFuzzTest {
    private static final List<String> METHODS = List.of(
            AgentProtocol.CREATE_SESSION,
            AgentProtocol.UPDATE_SESSION,
            AgentProtocol.DESTROY_SESSION,
            AgentProtocol.REGISTER_RESOURCE,
            AgentProtocol.UNREGISTER_RESOURCE,
            AgentProtocol.SYNC_RESOURCE,
            AgentProtocol.IMAGE_CLASSIFICATION,
            AgentProtocol.GENOP,
            AgentProtocol.GENOP_STREAM,
            AgentProtocol.TF_MODEL_LOAD,
            AgentProtocol.TF_MODEL_UNLOAD,
            AgentProtocol.TF_MODEL_RUN,
            AgentProtocol.TFLITE_MODEL_LOAD,
            AgentProtocol.TFLITE_MODEL_UNLOAD,
            AgentProtocol.TFLITE_MODEL_RUN,
            AgentProtocol.TORCH_MODEL_LOAD,
            AgentProtocol.TORCH_MODEL_RUN,
            AgentProtocol.GET_PROFILER,
            "Nope");
    private static final Client CLIENT = start();

    /** One agent and one connection for the whole run. */
    private record Client(Agent agent, Socket socket, DataOutputStream out, DataInputStream in, int[] stream) {}

    private static Client start() {
        try {
            var dir = Files.createTempDirectory("vaccel-agent-fuzz");
            Vaccel host = Vaccel.bootstrap(
                    VaccelConfig.of("noop").withEnv(Map.of("XDG_RUNTIME_DIR", dir.toString())),
                    List.of(new NoopPlugin()));
            Agent agent = Agent.start(host, List.of(new TtrpcAddress.Tcp("127.0.0.1", 0)), true, 1 << 20);
            Socket s = new Socket(
                    "127.0.0.1", ((InetSocketAddress) agent.localAddresses().getFirst()).getPort());
            s.setSoTimeout(10_000);
            return new Client(
                    agent,
                    s,
                    new DataOutputStream(s.getOutputStream()),
                    new DataInputStream(s.getInputStream()),
                    new int[] {1});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "15s")
    void request(FuzzedDataProvider data) throws IOException {
        String service = data.consumeBoolean() ? AgentProtocol.SERVICE : AgentProtocol.ASYNC_SERVICE;
        String method = data.pickValue(METHODS);
        byte[] payload = data.consumeRemainingAsBytes();
        byte[] req = Request.newBuilder()
                .setService(service)
                .setMethod(method)
                .setPayload(com.google.protobuf.ByteString.copyFrom(payload))
                .build()
                .toByteArray();
        int stream = CLIENT.stream()[0];
        CLIENT.stream()[0] += 2;
        CLIENT.out().writeInt(req.length);
        CLIENT.out().writeInt(stream);
        CLIENT.out().writeByte(1);
        CLIENT.out().writeByte(0);
        CLIENT.out().write(req);
        CLIENT.out().flush();
        int len = CLIENT.in().readInt();
        int answered = CLIENT.in().readInt();
        int type = CLIENT.in().readUnsignedByte();
        CLIENT.in().readUnsignedByte();
        CLIENT.in().readNBytes(len);
        if (answered != stream || type != 2) {
            throw new IllegalStateException("stream " + stream + " got frame type " + type + " for stream " + answered);
        }
    }
}
