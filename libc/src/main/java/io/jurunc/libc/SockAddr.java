package io.jurunc.libc;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** A socket address {@link Sockets} binds or connects to: validated when made, encoded only for the call. */
public sealed interface SockAddr {
    /** {@code sizeof(struct sockaddr_un)}: the family, then 108 bytes of path. */
    int SOCKADDR_UN_SIZE = 110;

    /** The longest unix socket path or abstract name, in bytes (108 less the terminating or leading NUL). */
    int UNIX_MAX = SOCKADDR_UN_SIZE - 3;

    /** A unix socket at a path in the file system. */
    record UnixPath(String path) implements SockAddr {
        public UnixPath {
            checkUnixName("unix socket path", path);
        }

        @Override
        public String toString() {
            return path;
        }
    }

    /** A Linux abstract unix socket name ({@code @name}: a leading NUL, no terminator). */
    record UnixAbstract(String name) implements SockAddr {
        public UnixAbstract {
            checkUnixName("abstract unix socket name", name);
        }

        @Override
        public String toString() {
            return "@" + name;
        }
    }

    /**
     * An AF_VSOCK address ({@code struct sockaddr_vm}); {@code cid} is unsigned, {@link Sockets#VMADDR_CID_ANY}
     * (-1) binds on every CID.
     */
    record Vsock(int cid, int port) implements SockAddr {
        @Override
        public String toString() {
            return Integer.toUnsignedString(cid) + ":" + Integer.toUnsignedString(port);
        }
    }

    private static void checkUnixName(String what, String name) {
        Objects.requireNonNull(name, what);
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > UNIX_MAX || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must be 1.." + UNIX_MAX + " bytes without NUL: '" + name + "'");
        }
    }
}
