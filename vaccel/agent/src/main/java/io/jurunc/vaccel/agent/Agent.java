package io.jurunc.vaccel.agent;

import io.jurunc.ttrpc.Listener;
import io.jurunc.ttrpc.TtrpcAddress;
import io.jurunc.ttrpc.TtrpcDialect;
import io.jurunc.ttrpc.TtrpcServer;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.common.Transports;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A running vAccel RPC agent: one ttrpc server answering like vAccel's (ttrpc-rust statuses) with the
 * agent's methods under both {@code vaccel.sync.agent.AgentService} and
 * {@code vaccel.asynchronous.agent.AgentService}, listening on one or more addresses. {@link #close()} stops listening, closes the connections (which releases every
 * client's sessions and resources) and then closes the host vAccel instance if the agent owns it.
 */
public final class Agent implements AutoCloseable {
    /** Calls one client connection may have in flight; more are answered RESOURCE_EXHAUSTED. */
    public static final int MAX_CALLS_PER_CONNECTION = 64;
    /**
     * Calls are handled on their connection's reader thread (no thread hand-off for a cheap op such as a
     * noop genop); one still running after this long has the connection's reading handed to a new thread,
     * so that the client's other calls on the connection go on. Above the usual inference time of small
     * models: at 2 ms a classify of ~2 ms was handed off half the time, each time starting a thread.
     */
    public static final Duration HAND_OFF_AFTER = Duration.ofMillis(10);

    private final TtrpcServer server;
    private final AgentService service;
    private final List<Listener> listeners;
    private final Vaccel vaccel;
    private final boolean ownsVaccel;

    private Agent(
            TtrpcServer server, AgentService service, List<Listener> listeners, Vaccel vaccel, boolean ownsVaccel) {
        this.server = server;
        this.service = service;
        this.listeners = listeners;
        this.vaccel = vaccel;
        this.ownsVaccel = ownsVaccel;
    }

    /** Starts serving {@code vaccel} on the addresses; {@code ownsVaccel} closes it with the agent. */
    public static Agent start(Vaccel vaccel, List<TtrpcAddress> addresses, boolean ownsVaccel) throws IOException {
        return start(vaccel, addresses, ownsVaccel, AgentProtocol.MAX_MESSAGE_LENGTH);
    }

    /** As {@link #start(Vaccel, List, boolean)} with a smaller ttrpc message limit (tests, constrained hosts). */
    public static Agent start(Vaccel vaccel, List<TtrpcAddress> addresses, boolean ownsVaccel, int maxMessageLength)
            throws IOException {
        return start(vaccel, addresses, ownsVaccel, maxMessageLength, AgentPolicy.DEFAULT);
    }

    /** As above, with what remote clients may reach on this host ({@link AgentPolicy}). */
    public static Agent start(
            Vaccel vaccel, List<TtrpcAddress> addresses, boolean ownsVaccel, int maxMessageLength, AgentPolicy policy)
            throws IOException {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("the agent needs at least one address");
        }
        AgentService service = new AgentService(vaccel, policy);
        TtrpcServer.Builder builder = TtrpcServer.builder()
                .dialect(TtrpcDialect.RUST)
                .maxMessageLength(maxMessageLength)
                .connectionLimits(MAX_CALLS_PER_CONNECTION, 2L * maxMessageLength)
                .maxConnections(policy.maxConnections())
                .runHandlersOnReader(HAND_OFF_AFTER);
        service.registerWith(builder);
        TtrpcServer server = builder.build();
        List<Listener> listeners = new ArrayList<>();
        try {
            for (TtrpcAddress a : addresses) {
                Listener l = Transports.listenSameUser(a, policy.peerUsers(), policy.allowedCids());
                listeners.add(l);
                server.serve(l);
                vaccel.log().info("vaccel agent listening on " + a);
            }
        } catch (IOException | RuntimeException e) {
            for (Listener l : listeners) {
                try {
                    l.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            server.close();
            throw e;
        }
        return new Agent(server, service, List.copyOf(listeners), vaccel, ownsVaccel);
    }

    public List<SocketAddress> localAddresses() {
        return listeners.stream().map(Listener::localAddress).toList();
    }

    public Vaccel vaccel() {
        return vaccel;
    }

    public int clientCount() {
        return service.clientCount();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops gracefully: waits up to {@code grace} for calls in flight. */
    public void shutdown(Duration grace) throws InterruptedException {
        try {
            server.shutdown(grace);
        } finally {
            if (ownsVaccel) {
                vaccel.close();
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            if (ownsVaccel) {
                vaccel.close();
            }
        }
    }
}
