package io.jurunc.cli.served;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a call served by the daemon must share with the caller for it to mean what it means in a JVM of the
 * caller's own: the installation (the same classes and helpers) and the mount, pid and user namespaces (paths,
 * pids). The configuration file is the caller's (its JURUNC_CONFIG), read per call.
 */
record DaemonFacts(String home, FrontRequest.Namespaces namespaces) {
    static DaemonFacts self() throws IOException {
        String home = System.getProperty("jurunc.home");
        if (home == null) throw new IOException("jurunc.home is not set: the daemon was not started by its launcher");
        return new DaemonFacts(
                Path.of(home).toRealPath().toString(),
                new FrontRequest.Namespaces(link("mnt"), link("pid"), link("user")));
    }

    private static String link(String ns) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns", ns)).toString();
    }

    /** Empty when this daemon may serve {@code r}; else why the front must run it in a JVM of its own. */
    Optional<String> mismatch(FrontRequest r) {
        if (!home.equals(r.home())) return Optional.of("another installation (" + r.home() + ")");
        if (!namespaces.equals(r.namespaces())) return Optional.of("other namespaces " + r.namespaces());
        String config = r.env().get("JURUNC_CONFIG");
        if (config != null && !config.isEmpty() && !config.startsWith("/")) {
            return Optional.of("a relative JURUNC_CONFIG");
        }
        return Optional.empty();
    }
}
