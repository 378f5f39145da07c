package io.jurunc.vaccel.agent;

import io.jurunc.ttrpc.TtrpcAddress;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.common.Transports;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jurunc vaccel agent}: serves vAccel's RPC agent protocol until SIGINT/SIGTERM/SIGHUP. The host
 * plugins come from {@code VACCEL_PLUGINS} (and the other {@code VACCEL_*} variables) or {@code --vaccel-config}.
 */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        versionProvider = AgentCommand.Version.class,
        description = "Serve vAccel's RPC agent service (vaccel.sync.agent.AgentService and "
                + "vaccel.asynchronous.agent.AgentService) over ttrpc.")
public final class AgentCommand implements Callable<Integer> {
    @Option(
            names = {"-a", "--server-address", "--address"},
            paramLabel = "URI",
            description =
                    "tcp://HOST:PORT, unix:///PATH, unix://@NAME (abstract) or vsock://CID:PORT; repeat to listen "
                            + "on several (default: " + AgentProtocol.DEFAULT_ADDRESS
                            + "). --server-address is vaccel-rpc-agent's name")
    List<String> addresses = new ArrayList<>();

    @Option(
            names = "--resource-dir",
            paramLabel = "DIR",
            description =
                    "a host directory whose files clients may register by path (repeatable); by default host paths "
                            + "are refused and resources must be sent as data")
    List<Path> resourceDirs = new ArrayList<>();

    @Option(
            names = "--exec-library-dir",
            paramLabel = "DIR",
            description = "a host directory the exec plugin may load libraries from (repeatable); by default it loads "
                    + "none, neither host paths clients name nor libraries they upload (sets VACCEL_EXEC_LIBRARY_DIRS unless "
                    + "that is set already)")
    List<Path> execLibraryDirs = new ArrayList<>();

    @Option(
            names = "--allow-peer-user",
            paramLabel = "USER",
            description =
                    "also accept unix-socket clients running as USER (repeatable); by default only the agent's own "
                            + "user may connect (SO_PEERCRED)")
    java.util.Set<String> peerUsers = new java.util.LinkedHashSet<>();

    @Option(
            names = "--allow-non-loopback-tcp",
            description = "allow tcp:// addresses other than loopback (the protocol has no authentication; anyone who "
                    + "can reach the port can run ops on this host)")
    boolean allowNonLoopbackTcp;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            description = "client connections served at once (default: " + AgentPolicy.DEFAULT_MAX_CONNECTIONS
                    + "); one more " + "is answered RESOURCE_EXHAUSTED \"too many connections\" and closed")
    int maxConnections = AgentPolicy.DEFAULT_MAX_CONNECTIONS;

    @Option(
            names = "--allow-cid",
            paramLabel = "CID",
            description =
                    "accept vsock connections only from this peer CID (repeatable; e.g. the guest's CID); by default "
                            + "any CID may connect to a vsock:// address")
    java.util.Set<Long> allowedCids = new java.util.LinkedHashSet<>();

    @Option(
            names = "--vaccel-config",
            paramLabel = "CONFIG",
            description =
                    "plugins=noop:exec,log_level=4,log_file=F,profiling_enabled=true,version_ignore=false (overrides VACCEL_*)")
    String vaccelConfig;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** The config with {@code VACCEL_EXEC_LIBRARY_DIRS} set to {@code dirs} (none: nothing loads), unless already set. */
    static VaccelConfig confineExec(VaccelConfig config, List<Path> dirs) {
        if (config.env().containsKey("VACCEL_EXEC_LIBRARY_DIRS")) {
            return config;
        }
        java.util.Map<String, String> env = new java.util.HashMap<>(config.env());
        env.put(
                "VACCEL_EXEC_LIBRARY_DIRS",
                String.join(
                        ":",
                        dirs.stream().map(d -> d.toAbsolutePath().toString()).toList()));
        return config.withEnv(env);
    }

    /** True when every address {@code host} names is a loopback address. */
    static boolean isLoopback(String host) {
        try {
            java.net.InetAddress[] all = java.net.InetAddress.getAllByName(host);
            return all.length > 0 && java.util.Arrays.stream(all).allMatch(java.net.InetAddress::isLoopbackAddress);
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** {@code --version}: what this agent implements and which upstream it answers like. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jurunc vaccel agent " + Vaccel.VERSION, "compatible with " + Vaccel.UPSTREAM};
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (maxConnections <= 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--max-connections must be positive, got " + maxConnections);
        }
        for (long cid : allowedCids) {
            if (cid < 0 || cid > 0xffff_ffffL) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--allow-cid " + cid + ": a vsock CID is 0..4294967295");
            }
        }
        List<TtrpcAddress> parsed = new ArrayList<>();
        for (String a : addresses.isEmpty() ? List.of(AgentProtocol.DEFAULT_ADDRESS) : addresses) {
            TtrpcAddress address;
            try {
                address = Transports.parse(a);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (address instanceof TtrpcAddress.Tcp t && !allowNonLoopbackTcp && !isLoopback(t.host())) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        a + " listens beyond this host and the agent "
                                + "has no authentication: use tcp://127.0.0.1:PORT, or pass --allow-non-loopback-tcp");
            }
            parsed.add(address);
        }
        VaccelConfig config = VaccelConfig.fromEnvironment(System.getenv());
        if (vaccelConfig != null) {
            config = VaccelConfig.parse(vaccelConfig, config);
        }
        config = confineExec(config, execLibraryDirs);
        if (config.plugins().isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "no vAccel plugin configured: set VACCEL_PLUGINS or --vaccel-config plugins=...");
        }
        Vaccel vaccel = Vaccel.bootstrap(config);
        AgentPolicy policy;
        try {
            policy = new AgentPolicy(
                    resourceDirs.stream().map(Path::toAbsolutePath).toList(), peerUsers);
        } catch (RuntimeException e) {
            vaccel.close();
            throw new CommandLine.ParameterException(spec.commandLine(), "--resource-dir: " + e.getMessage());
        }
        try {
            policy = policy.withMaxConnections(maxConnections).withAllowedCids(allowedCids);
        } catch (IllegalArgumentException e) {
            vaccel.close();
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Agent agent = Agent.start(vaccel, parsed, true, AgentProtocol.MAX_MESSAGE_LENGTH, policy);
        for (var a : agent.localAddresses()) {
            err.println("vaccel agent listening on " + a);
        }
        err.flush();
        Thread hook = new Thread(
                () -> {
                    try {
                        agent.shutdown(Duration.ofSeconds(2));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "vaccel-agent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        agent.awaitTermination();
        return 0;
    }

    /** Runs the agent standalone: {@code java -cp ... io.jurunc.vaccel.agent.AgentCommand -a unix:///tmp/v.sock}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new AgentCommand()).execute(args));
    }
}
