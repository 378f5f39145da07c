package io.jurunc.vaccel.rpc.common;

import io.jurunc.ttrpc.Listener;
import io.jurunc.ttrpc.TtrpcAddress;
import io.jurunc.ttrpc.TtrpcClient;
import java.io.IOException;
import java.util.Locale;

/**
 * Agent addresses ({@code tcp://host:port}, {@code unix:///path}, {@code unix://@name} (Linux abstract
 * namespace), {@code vsock://cid:port}; scheme case-insensitive) to listeners and clients. TCP and unix
 * paths use the JDK; vsock and abstract unix names use FFM ({@link Vsock}, {@link AbstractUnixListener}).
 */
public final class Transports {
    private Transports() {}

    /** Parses an address, lower-casing the scheme; anything else is "Unsupported protocol". */
    public static TtrpcAddress parse(String address) {
        int sep = address.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException(
                    "Unsupported protocol in '" + address + "': use tcp://HOST:PORT, unix:///PATH or vsock://CID:PORT");
        }
        String scheme = address.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("tcp") && !scheme.equals("unix") && !scheme.equals("vsock")) {
            throw new IllegalArgumentException(
                    "Unsupported protocol '" + scheme + "' in '" + address + "': use tcp, unix or vsock");
        }
        if (scheme.equals("vsock")) {
            return parseVsock(address, address.substring(sep + 3));
        }
        return TtrpcAddress.parse(scheme + address.substring(sep));
    }

    /** {@code CID:PORT}, both uint32 (CID 4294967295 = VMADDR_CID_ANY). */
    private static TtrpcAddress parseVsock(String address, String rest) {
        int colon = rest.indexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            throw new IllegalArgumentException("'" + address + "': expected vsock://CID:PORT");
        }
        try {
            return new TtrpcAddress.Vsock(
                    Long.parseLong(rest.substring(0, colon)), Long.parseLong(rest.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + address + "': CID and PORT must be numbers");
        }
    }

    /** The abstract socket name of {@code unix://@name}, if the address is one. */
    public static java.util.Optional<String> abstractName(TtrpcAddress address) {
        if (address instanceof TtrpcAddress.Unix u && u.path().toString().startsWith("@")) {
            return java.util.Optional.of(u.path().toString().substring(1));
        }
        return java.util.Optional.empty();
    }

    /**
     * A listener whose unix path sockets accept only peers of this process's user (SO_PEERCRED), plus the
     * users named in {@code alsoAllowedUsers}.
     */
    public static Listener listenSameUser(TtrpcAddress address, java.util.Set<String> alsoAllowedUsers)
            throws IOException {
        return listenSameUser(address, alsoAllowedUsers, java.util.Set.of());
    }

    /** As {@link #listenSameUser(TtrpcAddress, java.util.Set)}; a vsock listener accepts only {@code allowedCids} (empty: any). */
    public static Listener listenSameUser(
            TtrpcAddress address, java.util.Set<String> alsoAllowedUsers, java.util.Set<Long> allowedCids)
            throws IOException {
        if (address instanceof TtrpcAddress.Vsock v) {
            return VsockListener.bind((int) v.cid(), (int) v.port(), allowedCids);
        }
        if (address instanceof TtrpcAddress.Unix u && abstractName(address).isEmpty()) {
            return Listener.unixSameUserOr(u.path(), alsoAllowedUsers);
        }
        var name = abstractName(address);
        if (name.isPresent()) {
            return AbstractUnixListener.bindSameUser(name.get(), uids(alsoAllowedUsers));
        }
        return listen(address);
    }

    /** The uids of user names (from /etc/passwd) or numeric uids; unknown names are skipped. */
    static java.util.Set<Integer> uids(java.util.Set<String> users) throws IOException {
        java.util.Set<Integer> out = new java.util.HashSet<>();
        java.util.List<String> passwd = java.nio.file.Files.exists(java.nio.file.Path.of("/etc/passwd"))
                ? java.nio.file.Files.readAllLines(java.nio.file.Path.of("/etc/passwd"))
                : java.util.List.of();
        for (String u : users) {
            if (u.matches("\\d+")) {
                out.add(Integer.parseInt(u));
                continue;
            }
            for (String line : passwd) {
                String[] f = line.split(":");
                if (f.length > 2 && f[0].equals(u)) {
                    out.add(Integer.parseInt(f[2]));
                }
            }
        }
        return out;
    }

    public static Listener listen(TtrpcAddress address) throws IOException {
        if (address instanceof TtrpcAddress.Vsock v) {
            return VsockListener.bind((int) v.cid(), (int) v.port());
        }
        var name = abstractName(address);
        if (name.isPresent()) {
            return AbstractUnixListener.bind(name.get());
        }
        return Listener.bind(address);
    }

    public static TtrpcClient connect(TtrpcAddress address, int maxMessageLength) throws IOException {
        if (address instanceof TtrpcAddress.Vsock v) {
            return TtrpcClient.over(VsockConnection.connect((int) v.cid(), (int) v.port(), 5000), maxMessageLength);
        }
        var name = abstractName(address);
        if (name.isPresent()) {
            return TtrpcClient.over(AbstractUnixListener.connect(name.get()), maxMessageLength);
        }
        return TtrpcClient.connect(address, maxMessageLength);
    }
}
