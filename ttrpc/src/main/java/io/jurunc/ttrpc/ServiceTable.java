package io.jurunc.ttrpc;

import java.util.LinkedHashMap;
import java.util.Map;

/** Immutable (service, method) → handler table, resolving calls with ttrpc's error texts. */
final class ServiceTable {
    private final Map<String, Map<String, UnaryHandler>> services;

    ServiceTable(Map<String, Map<String, UnaryHandler>> services) {
        Map<String, Map<String, UnaryHandler>> copy = new LinkedHashMap<>();
        services.forEach((name, methods) -> copy.put(name, Map.copyOf(methods)));
        this.services = Map.copyOf(copy);
    }

    /** The handler, or UNIMPLEMENTED "service X" / "method X" as containerd/ttrpc answers. */
    UnaryHandler resolve(String service, String method) throws TtrpcException {
        Map<String, UnaryHandler> methods = services.get(service);
        if (methods == null) {
            throw new TtrpcException(StatusCode.UNIMPLEMENTED, "service " + service);
        }
        UnaryHandler handler = methods.get(method);
        if (handler == null) {
            throw new TtrpcException(StatusCode.UNIMPLEMENTED, "method " + method);
        }
        return handler;
    }
}
