package io.jurunc.vaccel.agent;

import io.jurunc.ttrpc.TtrpcAddress;
import io.jurunc.vaccel.Plugin;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.exec.ExecPlugin;
import io.jurunc.vaccel.noop.NoopPlugin;
import io.jurunc.vaccel.rpc.RpcPlugin;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starts an agent over a host vAccel and builds client vAccel instances with the rpc plugin. */
final class AgentFixture implements AutoCloseable {
    final Agent agent;
    final Vaccel host;
    final String address;

    private AgentFixture(Agent agent, Vaccel host, String address) {
        this.agent = agent;
        this.host = host;
        this.address = address;
    }

    /** {@code transport} is "unix" or "tcp"; host plugins are noop and exec plus any extra ones. */
    static AgentFixture start(String transport, Path dir, VaccelConfig hostConfig, List<Plugin> extra, int maxMessage)
            throws IOException {
        List<Plugin> candidates = new ArrayList<>(List.of(new NoopPlugin(), new ExecPlugin()));
        candidates.addAll(extra);
        Vaccel host = Vaccel.bootstrap(hostConfig.withEnv(Map.of("XDG_RUNTIME_DIR", dir.toString())), candidates);
        TtrpcAddress a = transport.equals("unix")
                ? new TtrpcAddress.Unix(dir.resolve("agent.sock"))
                : new TtrpcAddress.Tcp("127.0.0.1", 0);
        Agent agent = Agent.start(host, List.of(a), true, maxMessage);
        String address = transport.equals("unix")
                ? "unix://" + dir.resolve("agent.sock")
                : "tcp://127.0.0.1:"
                        + ((InetSocketAddress) agent.localAddresses().getFirst()).getPort();
        return new AgentFixture(agent, host, address);
    }

    static AgentFixture start(String transport, Path dir) throws IOException {
        return start(transport, dir, VaccelConfig.of("noop", "exec"), List.of(), 1 << 30);
    }

    Vaccel client() {
        return client(false);
    }

    Vaccel client(boolean profiling) {
        return client(profiling, Map.of());
    }

    /** A client with extra plugin settings (e.g. VACCEL_RPC_MESSAGE_MAX). */
    Vaccel client(boolean profiling, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("VACCEL_RPC_ADDRESS", address);
        return Vaccel.bootstrap(VaccelConfig.of("rpc").withEnv(env).withProfiling(profiling), List.of(new RpcPlugin()));
    }

    @Override
    public void close() {
        agent.close();
    }
}
