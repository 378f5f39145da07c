package io.jurunc.wasm;

import com.dylibso.chicory.log.Logger;
import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import io.jurunc.wasm.fs.ConfinedFileSystem;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One container's module instance, run on its own platform thread. Its exit status is the container's:
 * the WASI exit code, 0 when {@code _start} returns, {@value #TRAP_STATUS} after a trap (as an abort), and
 * 128 + the signal after a kill. A kill interrupts the instance at once: Chicory's interpreter and compiled
 * code check the thread's interrupt flag at every call and backward branch, and stdin is closed so a read
 * returns; a CPU budget is enforced the same way (exit 128 + SIGXCPU).
 */
public final class WasmInstance {
    public static final int TRAP_STATUS = 134;
    public static final int SIGKILL = 9;
    public static final int SIGXCPU = 24;
    /** Signals whose default action is to do nothing (SIGCHLD, SIGCONT, SIGURG, SIGWINCH). */
    private static final java.util.Set<Integer> IGNORED = java.util.Set.of(17, 18, 23, 28);

    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final int PAGE = 64 * 1024;

    private final CompiledModule module;
    private final WasmConfig config;
    private final WasmStdio stdio;
    private final Consumer<String> log;
    private final MemoryLimits limits;
    private final Map<String, ConfinedFileSystem> preopens;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final AtomicInteger stopSignal = new AtomicInteger();
    private volatile Thread thread;

    private WasmInstance(
            CompiledModule module,
            WasmConfig config,
            WasmStdio stdio,
            Consumer<String> log,
            MemoryLimits limits,
            Map<String, ConfinedFileSystem> preopens) {
        this.module = module;
        this.config = config;
        this.stdio = stdio;
        this.log = log;
        this.limits = limits;
        this.preopens = preopens;
    }

    /** Checks everything that can be checked before start: memory limit against the module, preopens. */
    public static WasmInstance prepare(CompiledModule module, WasmConfig config, WasmStdio stdio, Consumer<String> log)
            throws WasmException {
        MemoryLimits limits = memoryLimits(module, config);
        Map<String, ConfinedFileSystem> preopens = new LinkedHashMap<>();
        for (Preopen p : config.preopens()) {
            try {
                preopens.put(p.guestPath(), ConfinedFileSystem.of(p.hostPath(), p.readOnly()));
            } catch (IOException e) {
                throw new WasmException(
                        "cannot preopen " + p.hostPath() + " as " + p.guestPath() + ": " + e.getMessage(), e);
            }
        }
        return new WasmInstance(module, config, stdio, log, limits, preopens);
    }

    /** The module's own memory limits, its maximum lowered to the OCI memory limit. */
    static MemoryLimits memoryLimits(CompiledModule module, WasmConfig config) throws WasmException {
        var section = module.module().memorySection();
        MemoryLimits declared = section.isPresent() && section.get().memoryCount() > 0
                ? section.get().getMemory(0).limits()
                : null;
        if (declared == null || config.memoryLimitBytes().isEmpty()) {
            return declared;
        }
        long limitPages = config.memoryLimitBytes().getAsLong() / PAGE;
        int max = (int) Math.min(declared.maximumPages(), Math.min(limitPages, MemoryLimits.MAX_PAGES));
        if (declared.initialPages() > max) {
            throw new WasmException("the module needs " + (long) declared.initialPages() * PAGE
                    + " bytes of linear memory at start, more than the memory limit of "
                    + config.memoryLimitBytes().getAsLong() + " bytes (linux.resources.memory.limit)");
        }
        return new MemoryLimits(declared.initialPages(), max, declared.shared());
    }

    public CompletableFuture<Integer> exit() {
        return exit;
    }

    public boolean isRunning() {
        return thread != null && !exit.isDone();
    }

    /** Starts {@code _start} on a new thread; a second call does nothing. */
    public synchronized void start() {
        if (thread != null || exit.isDone()) {
            return;
        }
        Thread t = Thread.ofPlatform()
                .name("wasm-" + config.id())
                .daemon()
                .stackSize(32L * 1024 * 1024)
                .unstarted(this::run);
        thread = t;
        t.start();
        config.cpuBudget().ifPresent(this::watchCpu);
    }

    /**
     * Delivers a signal as a process without handlers would take it: 0 and the ignored ones do nothing, every
     * other signal ends the instance with status 128 + signal. Returns false once it has exited.
     */
    public boolean signal(int signal) {
        if (exit.isDone()) {
            return false;
        }
        if (signal == 0 || IGNORED.contains(signal)) {
            return true;
        }
        stop(signal);
        return true;
    }

    private void stop(int signal) {
        stopSignal.compareAndSet(0, signal);
        Thread t;
        synchronized (this) {
            t = thread;
            if (t == null) {
                finish(128 + stopSignal.get()); // killed before start: nothing ever ran
                return;
            }
        }
        t.interrupt();
        try {
            stdio.in().close(); // a read of stdin does not see interrupts
        } catch (IOException ignored) {
            // already closed
        }
        // A host call that ignores both (a write into a full pipe) must not keep the container alive.
        CompletableFuture.delayedExecutor(GRACE.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> {
                    if (!exit.isDone()) {
                        log.accept("wasm " + config.id() + ": the instance did not stop within " + GRACE.toSeconds()
                                + " s of signal " + signal + "; reporting it stopped");
                        finish(128 + stopSignal.get());
                    }
                });
    }

    private void watchCpu(Duration budget) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Thread.ofVirtual().name("wasm-cpu-" + config.id()).start(() -> {
            long limit = budget.toNanos();
            while (!exit.isDone()) {
                long used = mx.getThreadCpuTime(thread.threadId());
                if (used > limit) {
                    message("jurunc: CPU budget of " + budget.toMillis() + " ms exhausted; the module was stopped\n");
                    stop(SIGXCPU);
                    return;
                }
                try {
                    Thread.sleep(Math.max(1, Math.min(20, (limit - used) / 1_000_000)));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private void run() {
        int status;
        WasiOptions.Builder options = WasiOptions.builder()
                .withArguments(config.args())
                .withStdin(stdio.in())
                .withStdout(stdio.out())
                .withStderr(stdio.err())
                .withRandom(new SecureRandom());
        for (String kv : config.env()) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                options.withEnvironment(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        preopens.forEach((guest, fs) -> options.withDirectory(guest, fs.root()));
        try (WasiPreview1 wasi = WasiPreview1.builder()
                .withLogger(QuietLogger.INSTANCE)
                .withOptions(options.build())
                .build()) {
            Instance.Builder b = Instance.builder(module.module())
                    .withImportValues(ImportValues.builder()
                            .addFunction(wasi.toHostFunctions())
                            .build())
                    .withStart(false);
            if (limits != null) {
                b.withMemoryLimits(limits);
            }
            module.machineFactory().ifPresent(b::withMachineFactory);
            Instance instance = b.build();
            instance.export("_start").apply();
            status = 0;
        } catch (WasiExitException e) {
            status = e.exitCode() & 0xff;
        } catch (ChicoryInterruptedException e) {
            status = 128 + Math.max(stopSignal.get(), SIGKILL);
        } catch (ChicoryException e) {
            status = stopSignal.get() != 0 ? 128 + stopSignal.get() : trap(e.getMessage());
        } catch (StackOverflowError e) {
            status = trap("call stack exhausted");
        } catch (OutOfMemoryError e) {
            status = trap("out of memory in the runtime (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            status = stopSignal.get() != 0 ? 128 + stopSignal.get() : trap(e.toString());
        }
        if (stopSignal.get() != 0) {
            status = 128 + stopSignal.get();
        }
        try {
            stdio.out().flush();
            stdio.err().flush();
        } catch (IOException ignored) {
            // the reader went away
        }
        finish(status);
    }

    private int trap(String what) {
        message("jurunc: wasm trap in " + config.modulePath() + ": " + what + "\n");
        log.accept("wasm " + config.id() + ": trap: " + what);
        return TRAP_STATUS;
    }

    private void message(String text) {
        try {
            stdio.err().write(text.getBytes(StandardCharsets.UTF_8));
            stdio.err().flush();
        } catch (IOException ignored) {
            // stderr is gone; the log still has it
        }
    }

    private void finish(int status) {
        if (exit.complete(status)) {
            try {
                stdio.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** Chicory's WASI traces every call; a container's log is no place for that. */
    private enum QuietLogger implements Logger {
        INSTANCE;

        @Override
        public void log(Level level, String msg, Throwable throwable) {}

        @Override
        public boolean isLoggable(Level level) {
            return false;
        }
    }
}
