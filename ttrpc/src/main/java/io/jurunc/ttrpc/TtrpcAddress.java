package io.jurunc.ttrpc;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a ttrpc endpoint lives: {@code unix:///path} (or a bare absolute path), {@code tcp://host:port},
 * or {@code vsock://cid:port}. The JDK transports cover unix and TCP; vsock needs a caller-supplied
 * {@link Connection}.
 */
public sealed interface TtrpcAddress {
    record Unix(Path path) implements TtrpcAddress {
        public Unix {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return "unix://" + path;
        }
    }

    record Tcp(String host, int port) implements TtrpcAddress {
        public Tcp {
            Objects.requireNonNull(host, "host");
            requirePort(port, "tcp");
        }

        @Override
        public String toString() {
            return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    record Vsock(long cid, long port) implements TtrpcAddress {
        public Vsock {
            if (cid < 0 || cid > 0xFFFF_FFFFL || port < 0 || port > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("vsock cid and port must be uint32, got " + cid + ":" + port);
            }
        }

        @Override
        public String toString() {
            return "vsock://" + cid + ":" + port;
        }
    }

    /**
     * Parses an address.
     *
     * @throws IllegalArgumentException naming the problem and the accepted forms
     */
    static TtrpcAddress parse(String address) {
        Objects.requireNonNull(address, "address");
        String a = address.strip();
        if (a.startsWith("/")) {
            return new Unix(Path.of(a));
        }
        int sep = a.indexOf("://");
        if (sep < 0) {
            throw invalid(address, "missing scheme");
        }
        String scheme = a.substring(0, sep);
        String rest = a.substring(sep + 3);
        return switch (scheme) {
            case "unix" -> {
                if (rest.isEmpty()) {
                    throw invalid(address, "empty socket path");
                }
                yield new Unix(Path.of(rest));
            }
            case "tcp" -> {
                int colon = rest.lastIndexOf(':');
                if (colon <= 0) {
                    throw invalid(address, "expected tcp://host:port");
                }
                String host = rest.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                int port = parseNumber(rest.substring(colon + 1), address);
                if (port > 65535) {
                    throw invalid(address, "tcp port out of range 0..65535: " + port);
                }
                yield new Tcp(host, port);
            }
            case "vsock" -> {
                int colon = rest.indexOf(':');
                if (colon <= 0) {
                    throw invalid(address, "expected vsock://cid:port");
                }
                yield new Vsock(
                        parseNumber(rest.substring(0, colon), address),
                        parseNumber(rest.substring(colon + 1), address));
            }
            default -> throw invalid(address, "unknown scheme '" + scheme + "'");
        };
    }

    private static int parseNumber(String s, String address) {
        try {
            long v = Long.parseLong(s);
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw invalid(address, "number out of range: " + s);
            }
            return (int) Math.min(v, Integer.MAX_VALUE);
        } catch (NumberFormatException e) {
            throw invalid(address, "not a number: '" + s + "'");
        }
    }

    private static void requirePort(int port, String scheme) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(scheme + " port out of range 0..65535: " + port);
        }
    }

    private static IllegalArgumentException invalid(String address, String why) {
        return new IllegalArgumentException("invalid ttrpc address '" + address + "': " + why
                + " (use unix:///path/to.sock, /path/to.sock, tcp://host:port or vsock://cid:port)");
    }
}
