package io.jurunc.cli;

import io.jurunc.oci.Json;
import io.jurunc.oci.Spec;
import io.jurunc.oci.SpecException;
import io.jurunc.runtime.JuruncException;
import io.jurunc.wasm.WasmException;
import io.jurunc.wasm.WasmSelection;
import io.jurunc.wasm.cli.WasmContainers;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * WASM containers in the CLI (docs/wasm.md): a bundle selected as WASM gets a process of its own that runs
 * the module with Chicory; the container commands find it by its state file and act on it before the
 * unikernel and runc paths are considered.
 */
final class WasmHook {
    private WasmHook() {}

    /** A WASM bundle: annotations or the rootfs' urunc.json select it (a cheap text test comes first). */
    static boolean selects(Path bundle) throws JuruncException {
        if (!WasmSelection.mightSelect(bundle)) return false;
        Spec spec;
        try {
            spec = Json.loadSpec(bundle.toAbsolutePath().normalize());
        } catch (SpecException e) {
            return false; // the other paths report a broken config.json
        }
        if (spec.root() == null || spec.root().path() == null) return false;
        try {
            return WasmSelection.selects(
                    spec.annotations(),
                    bundle.toAbsolutePath().normalize().resolve(spec.root().path()));
        } catch (WasmException e) {
            throw new Failed(e);
        }
    }

    private static boolean terminal(Path bundle) {
        try {
            Spec spec = Json.loadSpec(bundle.toAbsolutePath().normalize());
            return spec.process() != null && spec.process().isTerminal();
        } catch (SpecException e) {
            return false; // create reports it
        }
    }

    /** The WASM containers of --root, for {@code list}. */
    static List<io.jurunc.oci.State> all(JuruncCommand top) {
        return containers(top).all();
    }

    static boolean owns(JuruncCommand top, String id) {
        return containers(top).owns(id);
    }

    private static WasmContainers containers(JuruncCommand top) {
        return new WasmContainers(top.root, top.log()::warn);
    }

    static int create(JuruncCommand top, String id, CreateOptions opts) throws JuruncException {
        top.checkGlobals();
        Optional<Path> tty = Optional.empty();
        if (terminal(opts.bundle) && opts.consoleSocket != null) {
            tty = Optional.of(top.context().host().sendConsole(opts.consoleSocket)); // runc's console-socket protocol
        }
        try {
            containers(top).create(id, opts.bundle, Optional.ofNullable(opts.pidFile), tty, WasmContainers.thisJava());
        } catch (WasmException e) {
            throw new Failed(e);
        }
        return 0;
    }

    static int start(JuruncCommand top, String id) throws JuruncException {
        return run(top, c -> c.start(id));
    }

    static int state(JuruncCommand top, String id) throws JuruncException {
        return run(top, c -> top.out().println(c.stateJson(id)));
    }

    static int kill(JuruncCommand top, String id, int signal) throws JuruncException {
        return run(top, c -> c.kill(id, signal));
    }

    static int delete(JuruncCommand top, String id, boolean force) throws JuruncException {
        return run(top, c -> c.delete(id, force));
    }

    static int ps(JuruncCommand top, String id, String format) throws JuruncException {
        return run(top, c -> PsCommand.print(c.pids(id), format, top.out()));
    }

    /** One call on the WASM containers of --root: exit code 0, or a WASM error reported as {@link Failed}. */
    private static int run(JuruncCommand top, WasmCall call) throws JuruncException {
        try {
            call.on(containers(top));
        } catch (WasmException e) {
            throw new Failed(e);
        }
        return 0;
    }

    private interface WasmCall {
        void on(WasmContainers containers) throws WasmException, JuruncException;
    }

    /** A WASM error, as the CLI reports every error: its message, exit code 1. */
    static final class Failed extends JuruncException {
        Failed(WasmException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
