package io.jurunc.vaccel.rpc;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.jurunc.ttrpc.CallOptions;
import io.jurunc.ttrpc.TtrpcAddress;
import io.jurunc.ttrpc.TtrpcClient;
import io.jurunc.ttrpc.TtrpcException;
import io.jurunc.vaccel.Errno;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.common.ErrorCodec;
import io.jurunc.vaccel.rpc.common.Transports;
import java.io.IOException;

/**
 * One ttrpc connection to the agent, opened on first use and reopened after it is lost (sessions of a
 * lost connection are gone on the agent: their ids then answer NOT_FOUND).
 */
final class AgentClient implements AutoCloseable {
    private final TtrpcAddress address;
    private TtrpcClient client;

    AgentClient(TtrpcAddress address) {
        this.address = address;
    }

    TtrpcAddress address() {
        return address;
    }

    private synchronized TtrpcClient client() {
        if (client == null || !client.isOpen()) {
            try {
                client = Transports.connect(address, AgentProtocol.MAX_MESSAGE_LENGTH);
            } catch (IOException e) {
                throw new VaccelException.BackendException(Errno.EREMOTEIO, "cannot connect to the vAccel agent at " + address
                    + ": " + e.getMessage() + " (is `jurunc vaccel agent -a " + address + "` running? set VACCEL_RPC_ADDRESS)", e);
            }
        }
        return client;
    }

    <R> R call(String method, MessageLite request, Parser<R> parser) {
        return call(method, request, parser, CallOptions.none());
    }

    <R> R call(String method, MessageLite request, Parser<R> parser, CallOptions options) {
        try {
            return client().call(AgentProtocol.SERVICE, method, request, parser, options);
        } catch (TtrpcException e) {
            throw ErrorCodec.fromStatus(method, e);
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
