package io.jurunc.vaccel.rpc;

import io.jurunc.ttrpc.TtrpcAddress;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.common.Transports;
import java.util.List;

/**
 * The rpc plugin's agent address: {@code VACCEL_RPC_ADDRESS}, else the deprecated {@code VACCEL_RPC_ADDR},
 * else the historic {@code VACCEL_VSOCK}, else {@code tcp://127.0.0.1:65500}. {@code messageLimit}: the
 * largest ttrpc message sent to the agent (a larger genop goes as a GenopStream), vAccel's ttrpc fork's 1 GiB
 * unless {@code VACCEL_RPC_MESSAGE_MAX} (jurunc's setting, in bytes) lowers it for an agent built with a
 * smaller one. Answers up to 1 GiB are accepted either way.
 */
record RpcSettings(TtrpcAddress address, List<String> warnings, int messageLimit) {
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
        int limit = AgentProtocol.MAX_MESSAGE_LENGTH;
        String max = config.env().get("VACCEL_RPC_MESSAGE_MAX");
        if (max != null) {
            try {
                limit = Integer.parseInt(max.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 64 * 1024 || limit > AgentProtocol.MAX_MESSAGE_LENGTH) {
                throw new VaccelException.InvalidArgumentException("VACCEL_RPC_MESSAGE_MAX='" + max
                        + "' must be a byte count in " + (64 * 1024) + ".." + AgentProtocol.MAX_MESSAGE_LENGTH);
            }
        }
        try {
            return new RpcSettings(Transports.parse(v == null ? AgentProtocol.DEFAULT_ADDRESS : v), warnings, limit);
        } catch (IllegalArgumentException e) {
            throw new VaccelException.InvalidArgumentException("VACCEL_RPC_ADDRESS: " + e.getMessage());
        }
    }
}
