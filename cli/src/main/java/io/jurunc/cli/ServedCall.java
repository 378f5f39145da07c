package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import java.nio.file.Path;
import java.util.List;

/**
 * A CLI call the node daemon runs for a front (cli/src/main/c/cli-front.c): the verbs containerd's runc shim
 * runs per container, bound as the launcher's fast path binds them, with relative paths taken from the caller's
 * directory. What the daemon must not run for a caller (anything else, WASM containers, inherited extra fds) is
 * refused before any side effect, and the front runs it in a JVM of its own.
 */
public final class ServedCall {
    /** Where the node daemon serves these calls: this variable (both sides; {@code off}: nowhere), else the default. */
    public static final String NODE_SOCKET_ENV = "JURUNC_NODE_SOCKET";

    public static final String DEFAULT_NODE_SOCKET = "/run/jurunc-node/cli.sock";

    private ServedCall() {}

    /** The call is not served by the daemon; nothing was done. */
    public static final class NotServedException extends Exception {
        NotServedException(String reason) {
            super(reason);
        }
    }

    /** Runs {@code args} (the arguments after argv[0]) for {@code caller}; the call's exit code. */
    public static int run(List<String> args, Path cwd, Caller caller) throws NotServedException {
        String[] argv = args.toArray(String[]::new);
        JuruncCommand top = new JuruncCommand(argv);
        top.caller = caller;
        ContainerCommand cmd =
                FastPath.bind(top, argv).orElseThrow(() -> new NotServedException("not one of the fast-path calls"));
        top.resolveAgainst(cwd);
        if (cmd instanceof CreateCommand c) c.opts.resolveAgainst(cwd);
        refuseElsewhere(top, cmd);
        try {
            return cmd.call();
        } catch (Exception e) {
            top.log().error(e.getMessage() == null ? e.toString() : e.getMessage());
            return 1;
        }
    }

    /** WASM containers live in a process of their own, and extra fds are the caller's: the JVM path runs those. */
    private static void refuseElsewhere(JuruncCommand top, ContainerCommand cmd) throws NotServedException {
        boolean elsewhere;
        try {
            elsewhere = switch (cmd) {
                case CreateCommand c -> c.opts.preserveFds > 0 || WasmHook.selects(c.opts.bundle);
                case StartCommand c -> WasmHook.owns(top, c.id);
                case StateCommand c -> WasmHook.owns(top, c.id);
                case KillCommand c -> WasmHook.owns(top, c.id);
                case DeleteCommand c -> WasmHook.owns(top, c.id);
                default -> true;
            };
        } catch (JuruncException | RuntimeException e) {
            elsewhere = true; // the JVM path reports it
        }
        if (elsewhere) throw new NotServedException(cmd.getClass().getSimpleName() + " runs in a JVM of its own");
    }
}
