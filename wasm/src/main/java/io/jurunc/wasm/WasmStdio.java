package io.jurunc.wasm;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** The module's stdin/stdout/stderr; closing it closes what it opened (never the JVM's own streams). */
public record WasmStdio(InputStream in, OutputStream out, OutputStream err, Closeable owned) implements Closeable {
    public WasmStdio {
        Objects.requireNonNull(in);
        Objects.requireNonNull(out);
        Objects.requireNonNull(err);
        Objects.requireNonNull(owned);
    }

    /** This process's own stdio (the CLI's process per container inherits containerd's FIFOs or pipes). */
    public static WasmStdio inherit() {
        return new WasmStdio(
                new FileInputStream(java.io.FileDescriptor.in),
                new FileOutputStream(java.io.FileDescriptor.out),
                new FileOutputStream(java.io.FileDescriptor.err),
                () -> {});
    }

    /** containerd's FIFOs by path (absent: nothing to read, output dropped), opened now as runc would at create. */
    public static WasmStdio open(Optional<Path> in, Optional<Path> out, Optional<Path> err) throws IOException {
        InputStream i = null;
        OutputStream o = null;
        OutputStream e = null;
        try {
            i = in.isPresent() ? new FileInputStream(in.get().toFile()) : InputStream.nullInputStream();
            o = out.isPresent() ? new FileOutputStream(out.get().toFile()) : OutputStream.nullOutputStream();
            e = err.isPresent()
                    ? (err.equals(out) ? o : new FileOutputStream(err.get().toFile()))
                    : OutputStream.nullOutputStream();
        } catch (IOException ex) {
            closeAll(i, o, e);
            throw ex;
        }
        InputStream fi = i;
        OutputStream fo = o;
        OutputStream fe = e;
        return new WasmStdio(fi, fo, fe, () -> closeAll(fi, fo, fe));
    }

    private static void closeAll(Closeable... cs) {
        for (Closeable c : cs) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing while tearing down
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        owned.close();
    }
}
