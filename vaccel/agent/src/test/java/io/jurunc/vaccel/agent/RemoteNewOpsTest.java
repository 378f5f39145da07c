package io.jurunc.vaccel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.ttrpc.TtrpcAddress;
import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.ArgType;
import io.jurunc.vaccel.Errno;
import io.jurunc.vaccel.MinMax;
import io.jurunc.vaccel.Resource;
import io.jurunc.vaccel.ResourceSpec;
import io.jurunc.vaccel.ResourceType;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Tensor;
import io.jurunc.vaccel.TfliteRun;
import io.jurunc.vaccel.TorchRun;
import io.jurunc.vaccel.TorchSgemm;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.noop.NoopPlugin;
import io.jurunc.vaccel.rpc.RpcPlugin;
import io.jurunc.vaccel.rpc.common.Transports;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ops added for upstream parity, through the rpc plugin and the agent, and the abstract socket transport. */
class RemoteNewOpsTest {
    @TempDir
    Path tmp;

    @Test
    void tfliteTorchMinmaxFpgaAndOpencvReachTheHostPlugin() throws Exception {
        try (AgentFixture f = AgentFixture.start(
                        "unix", tmp, VaccelConfig.of("noop").withProfiling(true), List.of(), 1 << 30);
                Vaccel v = f.client();
                Session s = v.createSession(0)) {
            Resource m = v.createResource(ResourceSpec.ofBuffer(new byte[] {1}, ResourceType.MODEL, "m.onnx"));
            s.register(m);
            Tensor in = Tensor.ofFloats(new long[] {2}, new float[] {1, 2});
            s.tfliteModelLoad(m);
            assertThat(s.tfliteModelRun(new TfliteRun(m, List.of(in), 2))).containsExactly(in, in);
            s.tfliteModelUnload(m);
            s.torchModelLoad(m);
            assertThat(s.torchModelRun(new TorchRun(m, new byte[] {7}, List.of(in), 1)))
                    .containsExactly(in);
            s.minmax(new MinMax(new double[] {3, 1, 2}, 0, 5, new double[3]));
            s.fpgaVadd(new float[] {1}, new float[] {2}, new float[1]);
            s.fpgaArraycopy(new int[] {1, 2});
            s.opencv(List.of(Arg.buffer(new byte[] {1})), List.of(Arg.output(ArgType.UINT8_ARRAY, 4)));
            Tensor one = Tensor.ofFloats(new long[] {1}, new float[] {0});
            assertThatThrownBy(() -> s.torchSgemm(new TorchSgemm(in, in, one, 1, 1, 2)))
                    .as("torch sgemm has no RPC")
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTSUP));
            Session host = f.host.session(s.remoteId()).orElseThrow();
            assertThat(host.profiler().snapshot())
                    .containsKeys(
                            "vaccel_tflite_model_load_op",
                            "vaccel_tflite_model_run_op",
                            "vaccel_tflite_model_unload_op",
                            "vaccel_torch_model_load_op",
                            "vaccel_torch_model_run_op",
                            "vaccel_minmax_op",
                            "vaccel_fpga_op",
                            "vaccel_opencv_op");
            assertThat(host.profiler().snapshot().get("vaccel_fpga_op")).hasSize(2);
        }
    }

    @Test
    void abstractUnixSocketsServeAndConnect() throws Exception {
        String name = "jurunc-vaccel-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        TtrpcAddress address = Transports.parse("unix://@" + name);
        try (Vaccel host = Vaccel.bootstrap(
                        VaccelConfig.of("noop").withEnv(Map.of("XDG_RUNTIME_DIR", tmp.toString())),
                        List.of(new NoopPlugin()));
                Agent agent = Agent.start(host, List.of(address), false);
                Vaccel client = Vaccel.bootstrap(
                        VaccelConfig.of("rpc").withEnv(Map.of("VACCEL_RPC_ADDRESS", "unix://@" + name)),
                        List.of(new RpcPlugin()));
                Session s = client.createSession(0)) {
            assertThat(agent.localAddresses().getFirst().toString()).isEqualTo("unix://@" + name);
            assertThat(s.classify(new byte[] {1}).tags()).isEqualTo(NoopPlugin.DUMMY_TAGS);
            assertThat(tmp.toFile().list()).as("no socket file anywhere").noneMatch(n -> n.contains(name));
        }
    }
}
