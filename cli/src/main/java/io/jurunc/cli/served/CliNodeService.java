package io.jurunc.cli.served;

import io.jurunc.cli.ServedCall;
import io.jurunc.cli.served.Frames.Frame;
import io.jurunc.runtime.state.PrivateFiles;
import io.jurunc.shim.daemon.NodeService;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;

/**
 * Serves the CLI's per-container verbs to the native front ({@code bin/jurunc}) in the resident node daemon, so
 * that containerd's runc shim, Docker and Podman start no JVM per verb. The socket ({@code JURUNC_NODE_SOCKET},
 * default {@value #DEFAULT_SOCKET}; {@code off} disables it) sits in a 0700 directory, is 0600, and only peers
 * running as the daemon's user are served. A second daemon finds the socket served and leaves it alone; a stale
 * one (its daemon killed) is replaced.
 */
public final class CliNodeService implements NodeService {
    public static final String SOCKET_ENV = ServedCall.NODE_SOCKET_ENV;
    public static final String DEFAULT_SOCKET = ServedCall.DEFAULT_NODE_SOCKET;

    @Override
    public String name() {
        return "cli";
    }

    @Override
    public Closeable start(Consumer<String> log) throws IOException {
        String setting = System.getenv().getOrDefault(SOCKET_ENV, "");
        if (setting.isEmpty()) setting = DEFAULT_SOCKET; // as the front reads it
        if (setting.equals("off")) return () -> {};
        return serve(Path.of(setting), DaemonFacts.self(), log);
    }

    /** Binds {@code socket} and serves it on a thread of its own until the handle is closed. */
    static Closeable serve(Path socket, DaemonFacts facts, Consumer<String> log) throws IOException {
        UserPrincipal self = Files.readAttributes(Path.of("/proc/self"), PosixFileAttributes.class)
                .owner();
        privateDir(socket.toAbsolutePath().getParent(), self);
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (served(socket)) throw new IOException(socket + " is served by another daemon");
            Files.delete(socket); // its daemon is gone
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PrivateFiles.FILE);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        Object inode = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .fileKey();
        Thread acceptor =
                Thread.ofPlatform().daemon().name("cli-accept").start(() -> acceptLoop(server, facts, self, log));
        return () -> {
            server.close();
            acceptor.interrupt();
            try {
                // only our own socket: a daemon started since may own the path now
                var now = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (inode != null && inode.equals(now.fileKey())) Files.delete(socket);
            } catch (IOException gone) {
                // nothing to remove
            }
        };
    }

    /** The socket's directory: made 0700 if missing; an existing one must be a directory of ours, not a link. */
    private static void privateDir(Path dir, UserPrincipal self) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PrivateFiles.dirMode());
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another daemon made it: checked below
            }
        }
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory() || !a.owner().equals(self)) {
            throw new IOException(dir + " is not a directory owned by " + self.getName());
        }
        Files.setPosixFilePermissions(dir, PrivateFiles.DIR);
    }

    private static boolean served(Path socket) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private static void acceptLoop(
            ServerSocketChannel server, DaemonFacts facts, UserPrincipal self, Consumer<String> log) {
        while (server.isOpen()) {
            SocketChannel peer;
            try {
                peer = server.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                log.accept("cli: accept: " + e.getMessage());
                continue;
            }
            Thread.ofPlatform().daemon().name("cli-call").start(() -> serveOne(peer, facts, self, log));
        }
    }

    private static void serveOne(SocketChannel peer, DaemonFacts facts, UserPrincipal self, Consumer<String> log) {
        try (peer) {
            if (!peer.getOption(ExtendedSocketOptions.SO_PEERCRED).user().equals(self)) {
                log.accept("cli: refused a caller running as another user");
                return;
            }
            Frame first;
            try {
                first = Frames.read(peer);
            } catch (EOFException probe) {
                return; // a daemon starting up checks whether the socket is served
            }
            if (first.type() != Frames.REQUEST)
                throw new Frames.ProtocolException("a first frame of type " + first.type());
            FrontRequest request = FrontRequest.parse(first.strings());
            Optional<String> mismatch = facts.mismatch(request);
            if (mismatch.isPresent()) {
                Frames.write(peer, Frames.FALL_BACK, new byte[0]);
                return;
            }
            FrontCaller caller = new FrontCaller(peer, request.env());
            int rc;
            try {
                rc = ServedCall.run(request.args(), request.cwd(), caller);
            } catch (ServedCall.NotServedException e) {
                Frames.write(peer, Frames.FALL_BACK, new byte[0]);
                return;
            }
            if (caller.handedOver()) return;
            caller.exit(rc);
        } catch (EOFException e) {
            log.accept("cli: the front went away mid-call");
        } catch (IOException | RuntimeException e) {
            log.accept("cli: " + e);
        }
    }
}
