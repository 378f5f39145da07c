package io.jurunc.vaccel.rpc;

import io.jurunc.ttrpc.TtrpcAddress;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.common.Transports;
import java.util.List;

/**
 * The rpc plugin's agent address: {@code VACCEL_RPC_ADDRESS}, else the deprecated {@code VACCEL_RPC_ADDR},
 * else the historic {@code VACCEL_VSOCK}, else {@code tcp://127.0.0.1:65500}.
 */
record RpcSettings(TtrpcAddress address, List<String> warnings) {
    static RpcSettings from(VaccelConfig config) {
        String v = config.env().get("VACCEL_RPC_ADDRESS");
        List<String> warnings = List.of();
        if (v == null && config.env().get("VACCEL_RPC_ADDR") != null) {
            v = config.env().get("VACCEL_RPC_ADDR");
            warnings = List.of("VACCEL_RPC_ADDR is deprecated; use VACCEL_RPC_ADDRESS");
        }
        if (v == null && config.env().get("VACCEL_VSOCK") != null) {
            v = config.env().get("VACCEL_VSOCK");
            warnings = List.of("VACCEL_VSOCK is deprecated; use VACCEL_RPC_ADDRESS");
        }
        try {
            return new RpcSettings(Transports.parse(v == null ? AgentProtocol.DEFAULT_ADDRESS : v), warnings);
        } catch (IllegalArgumentException e) {
            throw new VaccelException.InvalidArgumentException("VACCEL_RPC_ADDRESS: " + e.getMessage());
        }
    }
}
