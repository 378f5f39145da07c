package io.jurunc.builder.image;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.security.MessageDigest;

/**
 * A streaming sha256 for blobs. A build hashes every layer byte once or twice in a short-lived JVM,
 * where {@link MessageDigest} runs interpreted or C1-compiled code until C2 has compiled its
 * intrinsic (measured: 200 MB took 2.5 s cold, 0.3 s warm). OpenSSL's libcrypto (present on every
 * host that has ctr or curl) uses the CPU's SHA instructions from the first byte, so it is used
 * through FFM when it can be loaded, and {@link MessageDigest} otherwise. Both give the same digest
 * ({@code Sha256Test}).
 */
public abstract sealed class Sha256 implements AutoCloseable {
    public abstract void update(byte[] b, int off, int len);

    /** The 32-byte hash; the object cannot be used afterwards. */
    public abstract byte[] finish();

    @Override
    public void close() {}

    /** libcrypto's sha256 when it is available, else the JDK's. */
    public static Sha256 create() {
        return Native.AVAILABLE ? new Native() : jdk();
    }

    public static Sha256 jdk() {
        return new Jdk();
    }

    /** Whether the libcrypto implementation is in use (for tests and {@code --timings}). */
    public static boolean isNative() {
        return Native.AVAILABLE;
    }

    private static final class Jdk extends Sha256 {
        private final MessageDigest md = Digest.sha256();

        @Override
        public void update(byte[] b, int off, int len) {
            md.update(b, off, len);
        }

        @Override
        public byte[] finish() {
            return md.digest();
        }
    }

    /** EVP_MD_CTX from libcrypto.so.3; heap arrays are passed without a copy (critical downcalls). */
    private static final class Native extends Sha256 {
        static final boolean AVAILABLE;
        private static final MethodHandle CTX_NEW;
        private static final MethodHandle CTX_FREE;
        private static final MethodHandle INIT;
        private static final MethodHandle UPDATE;
        private static final MethodHandle FINAL;
        private static final MemorySegment SHA256;

        static {
            boolean ok = false;
            MethodHandle ctxNew = null;
            MethodHandle ctxFree = null;
            MethodHandle init = null;
            MethodHandle update = null;
            MethodHandle fin = null;
            MemorySegment md = MemorySegment.NULL;
            if (!Boolean.getBoolean("jurunc.build.jdkSha256")) {
                try {
                    Linker linker = Linker.nativeLinker();
                    SymbolLookup lib = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
                    ctxNew = linker.downcallHandle(
                            lib.findOrThrow("EVP_MD_CTX_new"), FunctionDescriptor.of(ValueLayout.ADDRESS));
                    ctxFree = linker.downcallHandle(
                            lib.findOrThrow("EVP_MD_CTX_free"), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
                    init = linker.downcallHandle(
                            lib.findOrThrow("EVP_DigestInit_ex"),
                            FunctionDescriptor.of(
                                    ValueLayout.JAVA_INT,
                                    ValueLayout.ADDRESS,
                                    ValueLayout.ADDRESS,
                                    ValueLayout.ADDRESS));
                    update = linker.downcallHandle(
                            lib.findOrThrow("EVP_DigestUpdate"),
                            FunctionDescriptor.of(
                                    ValueLayout.JAVA_INT,
                                    ValueLayout.ADDRESS,
                                    ValueLayout.ADDRESS,
                                    ValueLayout.JAVA_LONG),
                            Linker.Option.critical(true));
                    fin = linker.downcallHandle(
                            lib.findOrThrow("EVP_DigestFinal_ex"),
                            FunctionDescriptor.of(
                                    ValueLayout.JAVA_INT,
                                    ValueLayout.ADDRESS,
                                    ValueLayout.ADDRESS,
                                    ValueLayout.ADDRESS),
                            Linker.Option.critical(true));
                    MethodHandle evpSha256 = linker.downcallHandle(
                            lib.findOrThrow("EVP_sha256"), FunctionDescriptor.of(ValueLayout.ADDRESS));
                    md = (MemorySegment) evpSha256.invokeExact();
                    ok = !md.equals(MemorySegment.NULL);
                } catch (Throwable e) {
                    ok = false;
                }
            }
            AVAILABLE = ok;
            CTX_NEW = ctxNew;
            CTX_FREE = ctxFree;
            INIT = init;
            UPDATE = update;
            FINAL = fin;
            SHA256 = md;
        }

        private MemorySegment ctx;

        Native() {
            try {
                ctx = (MemorySegment) CTX_NEW.invokeExact();
                if (ctx.equals(MemorySegment.NULL) || (int) INIT.invokeExact(ctx, SHA256, MemorySegment.NULL) != 1) {
                    throw new IllegalStateException("libcrypto could not start a sha256");
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void update(byte[] b, int off, int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (ctx == null) {
                throw new IllegalStateException("sha256 already finished");
            }
            try {
                if ((int) UPDATE.invokeExact(ctx, MemorySegment.ofArray(b).asSlice(off, len), (long) len) != 1) {
                    throw new IllegalStateException("libcrypto sha256 update failed");
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public byte[] finish() {
            if (ctx == null) {
                throw new IllegalStateException("sha256 already finished");
            }
            byte[] out = new byte[32];
            try {
                if ((int) FINAL.invokeExact(ctx, MemorySegment.ofArray(out), MemorySegment.NULL) != 1) {
                    throw new IllegalStateException("libcrypto sha256 final failed");
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            } finally {
                close();
            }
            return out;
        }

        @Override
        public void close() {
            if (ctx != null) {
                try {
                    CTX_FREE.invokeExact(ctx);
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                } finally {
                    ctx = null;
                }
            }
        }
    }
}
