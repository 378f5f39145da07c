package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.config.JuruncConfig;
import io.jurunc.runtime.lifecycle.RuntimeContext;
import io.jurunc.runtime.wiring.Runtimes;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level command: runc's global flags, and the lazily built runtime context. */
@Command(
        name = "jurunc",
        description = "OCI runtime that runs unikernels and Linux microVMs as containers; other bundles go to runc.",
        versionProvider = Version.class,
        mixinStandardHelpOptions = true)
public final class JuruncCommand implements Runnable {
    @Option(names = "--root", description = "state directory (default: ${DEFAULT-VALUE})", defaultValue = "/run/jurunc")
    Path root;

    @Option(names = "--log", description = "log file (errors also go to stderr)")
    String logFile;

    @Option(names = "--log-format", description = "text or json", defaultValue = "text")
    String logFormat;

    @Option(names = "--debug", description = "verbose logging")
    boolean debug;

    @Option(names = "--systemd-cgroup", description = "accepted for runc compatibility")
    boolean systemdCgroup;

    @Option(names = "--rootless", description = "accepted for runc compatibility")
    String rootless;

    @Option(names = "--criu", hidden = true)
    String criu;

    private final String[] originalArgs;
    /** Who this call runs for: this process, or a front the node daemon serves. */
    Caller caller = Caller.THIS_PROCESS;

    private CliLog log;
    private JuruncConfig config;
    private RuntimeContext context;

    JuruncCommand(String[] originalArgs) {
        this.originalArgs = originalArgs.clone();
    }

    String[] originalArgs() {
        return originalArgs.clone();
    }

    CliLog log() {
        if (log == null) {
            String fmt = logFormat == null ? "text" : logFormat;
            log = new CliLog(logFile, fmt, debug, caller.err());
        }
        return log;
    }

    /** Validates global flags that runc validates. */
    void checkGlobals() throws UsageException {
        if (logFormat != null && !logFormat.equals("text") && !logFormat.equals("json")) {
            throw new UsageException("invalid --log-format '" + logFormat + "': use text or json");
        }
        if (root != null && root.toAbsolutePath().normalize().toString().equals("/")) {
            throw new UsageException("--root must not be /");
        }
    }

    JuruncConfig config() throws JuruncException {
        if (config == null) config = JuruncConfig.load(caller.env());
        return config;
    }

    RuntimeContext context() throws JuruncException {
        checkGlobals();
        if (context == null) {
            context = Runtimes.context(root.toAbsolutePath().normalize(), config(), log()::warn, caller.spawner());
        }
        return context;
    }

    /** Execs runc with this invocation's exact argv; returns only on failure. */
    int handOverToRunc() throws JuruncException {
        log().debug("not a jurunc container: handing over to runc");
        return RuncHandover.exec(config().runc(), originalArgs, log(), caller);
    }

    PrintStream out() {
        return caller.out();
    }

    /** A served call: relative paths in the global flags are the caller's, resolved against its directory. */
    void resolveAgainst(Path cwd) {
        root = cwd.resolve(root);
        if (logFile != null) logFile = cwd.resolve(logFile).toString();
    }

    @Override
    public void run() {
        picocli.CommandLine cl = new picocli.CommandLine(this);
        Commands.register(cl, new String[0]);
        cl.usage(System.out);
    }

    /** A bad flag value found after parsing. */
    static final class UsageException extends JuruncException {
        UsageException(String message) {
            super(message);
        }
    }
}
