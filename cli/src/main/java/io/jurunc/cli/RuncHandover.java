package io.jurunc.cli;

import io.jurunc.libc.ErrnoException;
import io.jurunc.libc.Processes;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hands a command for an ordinary container to runc: {@code execve} of runc with the same argv and
 * environment, so runc runs under this very pid with the same stdio. {@code JURUNC_DELEGATED}
 * guards against a loop when "runc" resolves back to jurunc.
 */
final class RuncHandover {
    static final String GUARD = "JURUNC_DELEGATED";

    private RuncHandover() {}

    /** Does not return on success. */
    static int exec(String runc, String[] originalArgs, CliLog log) {
        if (System.getenv(GUARD) != null) {
            log.error("runc hand-over loop: '" + runc + "' runs jurunc again; set [runtime] runc in "
                    + "/etc/jurunc/config.toml to the real runc binary");
            return 1;
        }
        Path path = resolve(runc);
        if (path == null) {
            log.error("not a unikernel bundle and runc ('" + runc + "') was not found on PATH; install runc or set "
                    + "[runtime] runc in /etc/jurunc/config.toml");
            return 1;
        }
        List<String> argv = new ArrayList<>();
        argv.add(path.toString());
        argv.addAll(List.of(originalArgs));
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) env.add(e.getKey() + "=" + e.getValue());
        env.add(GUARD + "=1");
        return execve(path, argv, env, log);
    }

    /** Execs {@code argv} (argv[0] an absolute path) with this process's environment; returns only on failure. */
    static int exec(List<String> argv, CliLog log) {
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) env.add(e.getKey() + "=" + e.getValue());
        return execve(Path.of(argv.getFirst()), argv, env, log);
    }

    private static int execve(Path path, List<String> argv, List<String> env, CliLog log) {
        System.out.flush();
        System.err.flush();
        try {
            Processes.execve(path.toString(), argv, env);
        } catch (ErrnoException e) {
            log.error("cannot exec " + path + ": " + e.getMessage());
        }
        return 1;
    }

    static Path resolve(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? p : null;
        }
        String pathEnv =
                System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : pathEnv.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) return p;
        }
        return null;
    }
}
