package io.jurunc.cli;

import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
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
        System.out.flush();
        System.err.flush();
        try (Arena arena = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            MethodHandle execve = linker.downcallHandle(
                    linker.defaultLookup().find("execve").orElseThrow(),
                    FunctionDescriptor.of(
                            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            int rc = (int) execve.invokeExact(
                    arena.allocateFrom(path.toString()), cStrings(arena, argv), cStrings(arena, env));
            log.error("cannot exec " + path + " (execve returned " + rc + ")");
            return 1;
        } catch (Throwable t) {
            log.error("cannot exec " + path + ": " + t);
            return 1;
        }
    }

    private static MemorySegment cStrings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ValueLayout.ADDRESS, values.size(), MemorySegment.NULL);
        return array;
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
