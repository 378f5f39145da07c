package io.jurunc.runtime.net;

import io.jurunc.runtime.sys.NamespaceThread;
import io.jurunc.runtime.sys.Syscalls;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts the command from a thread that has joined the namespace (a child inherits its creator
 * thread's namespaces), which saves the extra exec of {@code nsenter --net=PATH}; see
 * docs/network.md for the measurement.
 */
final class SetnsCommandRunner implements CommandRunner {
    private static final List<String> FALLBACK_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private final Syscalls sys;
    private final Map<String, String> resolved = new ConcurrentHashMap<>();

    SetnsCommandRunner(Syscalls sys) {
        this.sys = sys;
    }

    @Override
    public String run(NetnsRef netns, List<String> argv, String stdin) throws NetOperationException {
        List<String> command = new ArrayList<>(argv);
        command.set(0, resolve(argv.getFirst()));
        try {
            return NamespaceThread.callInNetns(sys, netns.path(), () -> exec(command, stdin));
        } catch (NamespaceThread.EnterException e) {
            if (e.namespaceGone()) {
                throw NetOperationException.netnsGone(netns, e);
            }
            throw new NetOperationException(e.getMessage(), false, e);
        }
    }

    private static String exec(List<String> command, String stdin) throws NetOperationException {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new NetOperationException(
                    "cannot run " + String.join(" ", command) + ": " + e.getMessage(), false, e);
        }
        try {
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            // ip/tc print little on stderr, so reading stdout first cannot fill the stderr pipe
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (exit != 0) {
                throw new NetOperationException("'" + String.join(" ", command) + "' exited with " + exit
                        + (err.isBlank() ? "" : ": " + err.strip()));
            }
            return out;
        } catch (IOException e) {
            throw new NetOperationException("running " + String.join(" ", command) + ": " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetOperationException("interrupted while running " + String.join(" ", command));
        } finally {
            process.destroy();
        }
    }

    /** The tool's absolute path: from PATH, else the usual sbin/bin directories. */
    private String resolve(String tool) throws NetOperationException {
        String cached = resolved.get(tool);
        if (cached != null) {
            return cached;
        }
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(FALLBACK_DIRS);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                resolved.put(tool, candidate.toString());
                return candidate.toString();
            }
        }
        throw new NetOperationException(tool + " not found in PATH or " + FALLBACK_DIRS + "; install iproute2");
    }
}
