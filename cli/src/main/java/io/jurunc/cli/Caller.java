package io.jurunc.cli;

import io.jurunc.libc.ErrnoException;
import io.jurunc.libc.Processes;
import io.jurunc.runtime.host.Spawner;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The process a CLI call runs for: where its output goes, its environment, who starts the process {@code create}
 * leaves behind, and how the call hands itself over to another program (runc). This JVM's own process when the
 * launcher runs a verb; the calling front when the node daemon serves it.
 */
public interface Caller {
    PrintStream out();

    PrintStream err();

    /** The caller's environment (runc's hand-over passes it on). */
    Map<String, String> env();

    /** Empty: this JVM spawns; else the caller's own spawner (the waiter must be the caller's descendant). */
    Optional<Spawner> spawner();

    /**
     * Replaces the caller with {@code argv} (argv[0] an absolute path) and {@code env}: in this process it does not
     * return unless the exec failed; a served call returns once the front was told to exec.
     */
    void exec(List<String> argv, List<String> env) throws ErrnoException;

    /** This JVM's process: System.out/err, its environment, execve. */
    Caller THIS_PROCESS = new Caller() {
        @Override
        public PrintStream out() {
            return System.out;
        }

        @Override
        public PrintStream err() {
            return System.err;
        }

        @Override
        public Map<String, String> env() {
            return System.getenv();
        }

        @Override
        public Optional<Spawner> spawner() {
            return Optional.empty();
        }

        @Override
        public void exec(List<String> argv, List<String> env) throws ErrnoException {
            System.out.flush();
            System.err.flush();
            Processes.execve(argv.getFirst(), argv, env);
        }
    };
}
