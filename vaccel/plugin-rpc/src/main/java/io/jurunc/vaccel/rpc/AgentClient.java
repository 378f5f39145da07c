package io.jurunc.vaccel.rpc;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.jurunc.ttrpc.CallOptions;
import io.jurunc.ttrpc.StatusCode;
import io.jurunc.ttrpc.TtrpcAddress;
import io.jurunc.ttrpc.TtrpcClient;
import io.jurunc.ttrpc.TtrpcException;
import io.jurunc.vaccel.Errno;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.common.ErrorCodec;
import io.jurunc.vaccel.rpc.common.Transports;
import java.io.IOException;
import java.util.List;

/**
 * One ttrpc connection to the agent, opened on first use and reopened after it is lost (sessions of a
 * lost connection are gone on the agent: their ids then answer NOT_FOUND). Calls go to vAccel's sync
 * service name.
 */
final class AgentClient implements AutoCloseable {
    private final TtrpcAddress address;
    private final int messageLimit;
    private TtrpcClient client;
    /** Whether the agent of the current connection serves GenopStream; null until asked. */
    private Boolean streaming;

    AgentClient(TtrpcAddress address, int messageLimit) {
        this.address = address;
        this.messageLimit = messageLimit;
    }

    TtrpcAddress address() {
        return address;
    }

    int messageLimit() {
        return messageLimit;
    }

    private synchronized TtrpcClient client() {
        if (client == null || !client.isOpen()) {
            try {
                client = Transports.connect(address, AgentProtocol.MAX_MESSAGE_LENGTH);
                streaming = null;
            } catch (IOException e) {
                throw new VaccelException.BackendException(
                        Errno.EBACKEND,
                        "cannot connect to the vAccel agent at " + address + ": " + e.getMessage()
                                + " (is `jurunc vaccel agent -a " + address + "` running? set VACCEL_RPC_ADDRESS)",
                        e);
            }
        }
        return client;
    }

    <R> R call(String method, MessageLite request, Parser<R> parser) {
        try {
            return client().call(AgentProtocol.SERVICE, method, request, parser, CallOptions.none());
        } catch (TtrpcException e) {
            throw ErrorCodec.fromStatus(method, e);
        }
    }

    /**
     * Whether the agent serves {@code GenopStream} (vAccel's async agents and jurunc's do, vAccel's sync
     * agent does not). Asked once per connection, only when a genop needs it: an empty stream is sent; an
     * agent without the method answers INVALID_ARGUMENT (ttrpc-rust) or UNIMPLEMENTED (Go ttrpc), one with
     * it fails the empty genop some other way (no session 0).
     */
    synchronized boolean supportsGenopStream() {
        TtrpcClient c = client();
        if (streaming == null) {
            try {
                c.openStream(AgentProtocol.SERVICE, AgentProtocol.GENOP_STREAM, CallOptions.none())
                        .closeAndReceive();
                streaming = true;
            } catch (TtrpcException e) {
                streaming = e.code() != StatusCode.INVALID_ARGUMENT
                        && e.code() != StatusCode.UNIMPLEMENTED
                        && e.code() != StatusCode.UNAVAILABLE;
            }
        }
        return streaming;
    }

    /** Sends the messages on one GenopStream and returns the parsed answer. */
    <R> R stream(List<? extends MessageLite> messages, Parser<R> parser) {
        try {
            TtrpcClient.ClientStreamCall call =
                    client().openStream(AgentProtocol.SERVICE, AgentProtocol.GENOP_STREAM, CallOptions.none());
            for (MessageLite m : messages) {
                call.send(m);
            }
            return call.closeAndReceive(parser);
        } catch (TtrpcException e) {
            throw ErrorCodec.fromStatus(AgentProtocol.GENOP_STREAM, e);
        }
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
