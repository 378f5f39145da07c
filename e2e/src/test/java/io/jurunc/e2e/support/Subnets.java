package io.jurunc.e2e.support;

import java.util.regex.Pattern;

/** Private test subnets: picking a free 10.2xx.y.0/24 and checking where the host routes an address. */
final class Subnets {

    private Subnets() {}

    /** Whether no host address or route mentions the /24 {@code "a.b.c."}. */
    static boolean isFree(Host host, String prefix) {
        return !used(host).contains(prefix);
    }

    private static String used(Host host) {
        return host.run(Command.of("ip", "-4", "-o", "addr", "show"))
                        .requireSuccess()
                        .stdout()
                + host.run(Command.of("ip", "-4", "route", "show", "table", "all"))
                        .requireSuccess()
                        .stdout();
    }

    /** {@code "10.a.b."} for a /24 that no host address or route mentions. */
    static String freePrefix(Host host) {
        String used = used(host);
        for (int attempt = 0; attempt < 64; attempt++) {
            byte[] r = CniNetwork.randomBytes(2);
            String candidate = "10." + (200 + Math.floorMod(r[0], 50)) + "." + Math.floorMod(r[1], 256) + ".";
            if (!used.contains(candidate)) {
                return candidate;
            }
        }
        throw new HarnessException("no free 10.x.y.0/24 subnet found for a test network");
    }

    /** Whether {@code ip route get IP} answers with {@code dev BRIDGE}. */
    static boolean routesVia(Host host, String ip, String bridge) {
        CommandResult r = host.run(Command.of("ip", "-o", "-4", "route", "get", ip));
        return r.succeeded() && r.stdout().matches("(?s).*\\bdev " + Pattern.quote(bridge) + "\\b.*");
    }
}
