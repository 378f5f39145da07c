package io.jurunc.vaccel.exec;

import io.jurunc.vaccel.Errno;
import io.jurunc.vaccel.ExecCall;
import io.jurunc.vaccel.OpType;
import io.jurunc.vaccel.Plugin;
import io.jurunc.vaccel.PluginContext;
import io.jurunc.vaccel.PluginInfo;
import io.jurunc.vaccel.PluginType;
import io.jurunc.vaccel.Resource;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.VaccelLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * vAccel's exec plugin: runs a function of a shared library with the exec ABI. {@code exec} opens the
 * library by path; {@code exec_with_resource} opens the resource's blobs (dependencies first, RTLD_GLOBAL,
 * then the main library, the last blob), caches the handles per resource and closes them in reverse
 * order when the resource leaves its last session. A non-zero return of the function is {@code EBACKEND}.
 *
 * <p>FPGA ops (which vAccel carries as genops) run {@code vaccel_fpga_arraycopy}, {@code vaccel_fpga_mmult},
 * {@code vaccel_fpga_parallel} or {@code vaccel_fpga_vadd} from the library named by
 * {@code VACCEL_EXEC_FPGA_LIBRARY}, with the exec ABI and the op's genop args; without that library they are
 * {@code ENOTSUP}.
 */
public final class ExecPlugin implements Plugin {
    private static final PluginInfo INFO = new PluginInfo(
            "exec", "0.1.0", Vaccel.VERSION, PluginType.SOFTWARE | PluginType.GENERIC | PluginType.CPU, false);
    private static final Set<OpType> OPS = EnumSet.of(
            OpType.NOOP,
            OpType.EXEC,
            OpType.EXEC_WITH_RESOURCE,
            OpType.FPGA_ARRAYCOPY,
            OpType.FPGA_MMULT,
            OpType.FPGA_PARALLEL,
            OpType.FPGA_VECTORADD);

    private final DynamicLoader loader;
    private final Map<Long, List<DynamicLoader.Handle>> resourceHandles = new ConcurrentHashMap<>();
    private volatile ExecSettings settings =
            new ExecSettings(DynamicLoader.Mode.NOW, false, java.util.Optional.empty(), java.util.Optional.empty());
    private volatile DynamicLoader.Handle fpgaHandle;
    private volatile VaccelLog log;

    /** The ServiceLoader constructor: native dlopen through FFM. */
    public ExecPlugin() {
        this(new NativeDynamicLoader());
    }

    public ExecPlugin(DynamicLoader loader) {
        this.loader = loader;
    }

    @Override
    public PluginInfo info() {
        return INFO;
    }

    @Override
    public Set<OpType> ops() {
        return OPS;
    }

    @Override
    public void init(PluginContext context) {
        settings = ExecSettings.from(context.config());
        log = context.log();
    }

    @Override
    public void fini() {
        synchronized (this) {
            if (fpgaHandle != null) {
                closeAll(List.of(fpgaHandle));
                fpgaHandle = null;
            }
        }
        for (Long id : List.copyOf(resourceHandles.keySet())) {
            closeAll(resourceHandles.remove(id));
        }
    }

    @Override
    public void noop(Session session) {
        debug("[exec] Calling no-op for session " + session.id());
    }

    @Override
    public void exec(Session session, ExecCall call) {
        debug("[exec] Calling exec for session " + session.id() + ": " + call.library() + ":" + call.symbol());
        DynamicLoader.Handle h = open(Path.of(call.library()), settings.mode(), false);
        try {
            run(loader.symbol(h, call.symbol()), call);
        } finally {
            if (settings.dlcloseAfterExec()) {
                loader.close(h);
            }
        }
    }

    @Override
    public void execWithResource(Session session, Resource library, ExecCall call) {
        List<DynamicLoader.Handle> handles = resourceHandles.computeIfAbsent(library.id(), id -> openAll(library));
        debug("[exec] Calling exec_with_resource for session " + session.id() + ": " + library + ":" + call.symbol());
        run(loader.symbol(handles.getLast(), call.symbol()), call);
    }

    private List<DynamicLoader.Handle> openAll(Resource library) {
        List<Path> paths = library.localPaths();
        List<DynamicLoader.Handle> opened = new ArrayList<>();
        try {
            for (int i = 0; i < paths.size() - 1; i++) {
                opened.add(openDependency(paths.get(i)));
            }
            opened.add(open(paths.getLast(), settings.mode(), false));
            return List.copyOf(opened);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /** Dependencies go in with RTLD_GLOBAL; if the configured mode fails, the other mode is tried. */
    private DynamicLoader.Handle openDependency(Path p) {
        try {
            return open(p, settings.mode(), true);
        } catch (VaccelException first) {
            DynamicLoader.Mode other =
                    settings.mode() == DynamicLoader.Mode.NOW ? DynamicLoader.Mode.LAZY : DynamicLoader.Mode.NOW;
            try {
                return open(p, other, true);
            } catch (VaccelException second) {
                first.addSuppressed(second);
                throw first;
            }
        }
    }

    @Override
    public void fpga(Session session, OpType op, List<io.jurunc.vaccel.Arg> read, List<io.jurunc.vaccel.Arg> write) {
        Path lib = settings.fpgaLibrary()
                .orElseThrow(() -> new VaccelException.UnsupportedOpException("exec plugin: " + op.label()
                        + " needs VACCEL_EXEC_FPGA_LIBRARY (a library exporting " + fpgaSymbol(op) + ")"));
        DynamicLoader.Handle h;
        synchronized (this) {
            if (fpgaHandle == null) {
                fpgaHandle = open(lib, settings.mode(), false);
            }
            h = fpgaHandle;
        }
        ExecCall call = new ExecCall(lib.toString(), fpgaSymbol(op), read, write);
        debug("[exec] Calling " + op.label() + " for session " + session.id() + " through " + lib + ":"
                + call.symbol());
        run(loader.symbol(h, call.symbol()), call);
    }

    /** dlopen, after checking {@code VACCEL_EXEC_LIBRARY_DIRS}. */
    private DynamicLoader.Handle open(Path library, DynamicLoader.Mode mode, boolean global) {
        if (!settings.allows(library)) {
            throw new VaccelException(
                    Errno.EPERM, "exec plugin: " + library + " is not inside VACCEL_EXEC_LIBRARY_DIRS");
        }
        return loader.open(library, mode, global);
    }

    static String fpgaSymbol(OpType op) {
        return switch (op) {
            case FPGA_ARRAYCOPY -> "vaccel_fpga_arraycopy";
            case FPGA_MMULT -> "vaccel_fpga_mmult";
            case FPGA_PARALLEL -> "vaccel_fpga_parallel";
            case FPGA_VECTORADD -> "vaccel_fpga_vadd";
            default -> throw new VaccelException.InvalidArgumentException(op + " is not an FPGA op");
        };
    }

    @Override
    public void resourceUnregister(Resource resource, Session session) {
        if (resource.refcount() == 0) {
            closeAll(resourceHandles.remove(resource.id()));
        }
    }

    private void closeAll(List<DynamicLoader.Handle> handles) {
        if (handles == null) {
            return;
        }
        for (DynamicLoader.Handle h : handles.reversed()) {
            try {
                loader.close(h);
            } catch (VaccelException e) {
                VaccelLog l = log;
                if (l != null) {
                    l.warn("[exec] " + e.getMessage());
                }
            }
        }
    }

    private static void run(DynamicLoader.ExecFunction fn, ExecCall call) {
        int rc = fn.call(call.read(), call.write());
        if (rc != 0) {
            throw new VaccelException(Errno.EBACKEND, "exec function " + call.symbol() + " returned " + rc);
        }
    }

    private void debug(String s) {
        VaccelLog l = log;
        if (l != null) {
            l.debug(() -> s);
        }
    }
}
