package io.jurunc.shim.daemon;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's log, in logrus text format, written to the {@code log} FIFO of the bundle that started it
 * (containerd copies that FIFO into its own log). Falls back to stderr when there is no FIFO.
 */
public final class ShimLog {
    private final PrintStream out;
    private final boolean debug;
    private final String id;

    private ShimLog(PrintStream out, boolean debug, String id) {
        this.out = out;
        this.debug = debug;
        this.id = id;
    }

    /** Opens {@code <dir>/log}; a FIFO open blocks until containerd reads it, so give up after 2 s. */
    public static ShimLog open(Path dir, boolean debug, String id) {
        Path fifo = dir.resolve("log");
        if (Files.exists(fifo)) {
            CompletableFuture<OutputStream> opened = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return new FileOutputStream(fifo.toFile(), true);
                        } catch (IOException e) {
                            return null;
                        }
                    },
                    r -> Thread.ofPlatform().daemon().start(r));
            try {
                OutputStream os = opened.get(2, TimeUnit.SECONDS);
                if (os != null) {
                    return new ShimLog(new PrintStream(os, true, StandardCharsets.UTF_8), debug, id);
                }
            } catch (Exception ignored) {
                // no reader: fall back to stderr
            }
        }
        return new ShimLog(System.err, debug, id);
    }

    /**
     * The resident node daemon's log: {@code file} (mode 0600), truncated when the daemon starts; the FIFO of
     * the bundle that started it goes away with that container.
     */
    public static ShimLog file(Path file, boolean debug, String id) {
        return file(file, debug, id, false);
    }

    /** With {@code append}, the log of the crashed daemon JVM before this one is kept. */
    public static ShimLog file(Path file, boolean debug, String id, boolean append) {
        try {
            if (!append) {
                Files.deleteIfExists(file);
            }
            if (!Files.exists(file)) {
                Files.createFile(
                        file,
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            }
            return new ShimLog(
                    new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8),
                    debug,
                    id);
        } catch (IOException e) {
            return new ShimLog(System.err, debug, id);
        }
    }

    public static ShimLog stderr(boolean debug, String id) {
        return new ShimLog(System.err, debug, id);
    }

    public void info(String msg) {
        write("info", msg);
    }

    public void warn(String msg) {
        write("warning", msg);
    }

    public void error(String msg) {
        write("error", msg);
    }

    public void debug(String msg) {
        if (debug) {
            write("debug", msg);
        }
    }

    private synchronized void write(String level, String msg) {
        out.println("time=\"" + Instant.now() + "\" level=" + level + " msg=\"" + msg.replace("\"", "\\\"")
                + "\" runtime=io.containerd.jurunc.v2 shim=" + id);
    }
}
