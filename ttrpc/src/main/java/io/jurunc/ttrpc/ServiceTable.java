package io.jurunc.ttrpc;

import java.util.LinkedHashMap;
import java.util.Map;

/** Immutable (service, method) → handler table, resolving calls with the dialect's error texts. */
final class ServiceTable {
    /** A registered method: unary or client-streaming. */
    sealed interface Method permits Unary, ClientStream {}

    record Unary(UnaryHandler handler) implements Method {}

    record ClientStream(ClientStreamHandler handler) implements Method {}

    private final Map<String, Map<String, Method>> services;
    private final TtrpcDialect dialect;

    ServiceTable(Map<String, Map<String, Method>> services, TtrpcDialect dialect) {
        Map<String, Map<String, Method>> copy = new LinkedHashMap<>();
        services.forEach((name, methods) -> copy.put(name, Map.copyOf(methods)));
        this.services = Map.copyOf(copy);
        this.dialect = dialect;
    }

    TtrpcDialect dialect() {
        return dialect;
    }

    /**
     * The handler; otherwise containerd/ttrpc's UNIMPLEMENTED "service X" / "method X", or ttrpc-rust's
     * INVALID_ARGUMENT "/X/Y does not exist".
     */
    Method resolve(String service, String method) throws TtrpcException {
        Map<String, Method> methods = services.get(service);
        Method handler = methods == null ? null : methods.get(method);
        if (handler != null) {
            return handler;
        }
        if (dialect == TtrpcDialect.RUST) {
            throw new TtrpcException(StatusCode.INVALID_ARGUMENT, "/" + service + "/" + method + " does not exist");
        }
        throw new TtrpcException(StatusCode.UNIMPLEMENTED, methods == null ? "service " + service : "method " + method);
    }
}
