package io.jurunc.vaccel.exec;

import io.jurunc.vaccel.Arg;
import java.nio.file.Path;
import java.util.List;

/**
 * The OS boundary of the exec plugin: dlopen/dlsym/dlclose and calling a function with vAccel's exec ABI.
 * {@link NativeDynamicLoader} does it with FFM; tests may substitute a recording fake.
 */
public interface DynamicLoader {
    /** dlopen flags. */
    enum Mode {
        LAZY,
        NOW
    }

    /** An opened library. */
    interface Handle {
        Path path();
    }

    /** Opens a library; {@code global} adds RTLD_GLOBAL (dependencies of exec_with_resource). */
    Handle open(Path library, Mode mode, boolean global);

    /** The function's address token, or throws {@code ENOSYS} if the symbol is missing. */
    ExecFunction symbol(Handle handle, String symbol);

    void close(Handle handle);

    /** A function with the ABI {@code int fn(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write, size_t nr_write)}. */
    interface ExecFunction {
        /** Calls it; write args' buffers are updated from the native copies. Returns the function's int result. */
        int call(List<Arg> read, List<Arg> write);
    }
}
