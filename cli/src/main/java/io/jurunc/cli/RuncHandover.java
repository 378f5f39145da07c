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

    /** Does not return on success (in this process; a served call's front execs it). */
    static int exec(String runc, String[] originalArgs, CliLog log, Caller caller) {
        Map<String, String> callerEnv = caller.env();
        if (callerEnv.get(GUARD) != null) {
            log.error("runc hand-over loop: '" + runc + "' runs jurunc again; set [runtime] runc in "
                    + "/etc/jurunc/config.toml to the real runc binary");
            return 1;
        }
        Path path = resolve(runc, callerEnv);
        if (path == null) {
            log.error("not a unikernel bundle and runc ('" + runc + "') was not found on PATH; install runc or set "
                    + "[runtime] runc in /etc/jurunc/config.toml");
            return 1;
        }
        List<String> argv = new ArrayList<>();
        argv.add(path.toString());
        argv.addAll(List.of(originalArgs));
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : callerEnv.entrySet()) env.add(e.getKey() + "=" + e.getValue());
        env.add(GUARD + "=1");
        try {
            caller.exec(argv, env);
            return 0; // served: the front execs runc
        } catch (ErrnoException e) {
            log.error("cannot exec " + path + ": " + e.getMessage());
            return 1;
        }
    }

    /** Execs {@code argv} (argv[0] an absolute path) with this process's environment; returns only on failure. */
    static int exec(List<String> argv, CliLog log) {
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) env.add(e.getKey() + "=" + e.getValue());
        System.out.flush();
        System.err.flush();
        try {
            Processes.execve(argv.getFirst(), argv, env);
        } catch (ErrnoException e) {
            log.error("cannot exec " + argv.getFirst() + ": " + e.getMessage());
        }
        return 1;
    }

    static Path resolve(String name) {
        return resolve(name, System.getenv());
    }

    /** {@code name} as a path, or looked up on the PATH of {@code env}; null when not found. */
    static Path resolve(String name, Map<String, String> env) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? p : null;
        }
        String pathEnv = env.getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : pathEnv.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) return p;
        }
        return null;
    }
}
