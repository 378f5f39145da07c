package io.jurunc.cli.served;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The CLI service of a node daemon, served in this JVM on {@code socket}, as installation {@code home}. */
public final class NodeDaemonUnderTest implements Closeable {
    public final Path socket;
    public final String home;
    public final List<String> log = new CopyOnWriteArrayList<>();
    private final Closeable handle;

    public NodeDaemonUnderTest(Path socket, String home) throws IOException {
        this.socket = socket;
        this.home = home;
        DaemonFacts self = new DaemonFacts(home, new FrontRequest.Namespaces(link("mnt"), link("pid"), link("user")));
        this.handle = CliNodeService.serve(socket, self, log::add);
    }

    private static String link(String ns) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns", ns)).toString();
    }

    @Override
    public void close() throws IOException {
        handle.close();
    }
}
