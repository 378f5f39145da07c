package io.jurunc.ttrpc;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/** SO_PEERCRED checks for unix-socket listeners. */
final class PeerCredentials {
    record Identity(UserPrincipal user, GroupPrincipal group) {}

    private PeerCredentials() {}

    /** This process's effective uid/gid, read as the owner of {@code /proc/self}. */
    static Identity self() throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(Path.of("/proc/self"), PosixFileAttributes.class);
        return new Identity(attrs.owner(), attrs.group());
    }

    /** Empty when the peer matches {@code expected}, else the reason it is refused. */
    static Optional<String> check(SocketChannel peer, Identity expected) {
        return check(peer, expected, java.util.Set.of());
    }

    /** Like {@link #check(SocketChannel, Identity)}, also accepting peers whose user name is in {@code alsoAllowed}. */
    static Optional<String> check(SocketChannel peer, Identity expected, java.util.Set<String> alsoAllowed) {
        UnixDomainPrincipal creds;
        try {
            creds = peer.getOption(ExtendedSocketOptions.SO_PEERCRED);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot read peer credentials: " + e);
        }
        if (creds.user().equals(expected.user()) && creds.group().equals(expected.group())) {
            return Optional.empty();
        }
        if (alsoAllowed.contains(creds.user().getName())) {
            return Optional.empty();
        }
        return Optional.of(
                "peer runs as " + creds.user().getName() + ":" + creds.group().getName() + ", only "
                        + expected.user().getName() + ":" + expected.group().getName() + " may connect");
    }
}
