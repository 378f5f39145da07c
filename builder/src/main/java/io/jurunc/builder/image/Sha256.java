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
 * intrinsic (measured: 200 MB took 2.5 s cold, 0.3 s warm). Nettle's and OpenSSL's sha256 use the
 * CPU's SHA instructions from the first byte, so one of them is used through FFM when it can be
 * loaded, and {@link MessageDigest} otherwise. All give the same digest ({@code Sha256Test}).
 *
 * <p>Nettle ({@code libnettle.so.8}, GnuTLS's crypto library) comes first: its context is a plain
 * struct that lives in a Java array, so three critical downcalls of two shapes are all it needs, and
 * the library maps about 0.2 MB where libcrypto's load and initialisation cost a build 3.4 MB of
 * resident memory (measured with smaps; issue 15's 64 MiB bound). libcrypto ({@code libcrypto.so.3},
 * present on every host that has ctr or curl) is the second choice.
 */
public abstract sealed class Sha256 implements AutoCloseable {
    public abstract void update(byte[] b, int off, int len);

    /** The 32-byte hash; the object cannot be used afterwards. */
    public abstract byte[] finish();

    @Override
    public void close() {}

    /** Nettle's sha256 when it is available, else libcrypto's, else the JDK's. */
    public static Sha256 create() {
        if (Nettle.AVAILABLE) {
            return new Nettle();
        }
        return Native.AVAILABLE ? new Native() : jdk();
    }

    public static Sha256 jdk() {
        return new Jdk();
    }

    /** Whether a native implementation (Nettle or libcrypto) is in use. */
    public static boolean isNative() {
        return Nettle.AVAILABLE || Native.AVAILABLE;
    }

    /** Nettle's sha256; only where {@link #nettleAvailable}. */
    static Sha256 nettle() {
        if (!Nettle.AVAILABLE) {
            throw new IllegalStateException("libnettle.so.8 is not available");
        }
        return new Nettle();
    }

    static boolean nettleAvailable() {
        return Nettle.AVAILABLE;
    }

    /** libcrypto's sha256; only where {@link #libcryptoAvailable}. */
    static Sha256 libcrypto() {
        if (!Native.AVAILABLE) {
            throw new IllegalStateException("libcrypto.so.3 is not available");
        }
        return new Native();
    }

    static boolean libcryptoAvailable() {
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

    /**
     * What both native implementations share: the argument and state checks around each downcall, the
     * 32-byte output, releasing the context once (after {@link #finish} or on {@link #close}), and how a
     * downcall's failure is thrown. Subclasses make the library calls only.
     */
    private abstract static sealed class Downcalls extends Sha256 permits Nettle, Native {
        private boolean done;

        /** Hashes {@code len} bytes of {@code data}, a slice of a heap array. */
        abstract void hash(MemorySegment data, long len) throws Throwable;

        /** Writes the digest into {@code out}, a 32-byte heap array. */
        abstract void digest(MemorySegment out) throws Throwable;

        /** Frees the context; called once. */
        abstract void release() throws Throwable;

        @Override
        public final void update(byte[] b, int off, int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            requireOpen();
            try {
                hash(MemorySegment.ofArray(b).asSlice(off, len), len);
            } catch (Throwable e) {
                throw failed(e);
            }
        }

        @Override
        public final byte[] finish() {
            requireOpen();
            byte[] out = new byte[32];
            try {
                digest(MemorySegment.ofArray(out));
            } catch (Throwable e) {
                throw failed(e);
            } finally {
                close();
            }
            return out;
        }

        @Override
        public final void close() {
            if (!done) {
                done = true;
                try {
                    release();
                } catch (Throwable e) {
                    throw failed(e);
                }
            }
        }

        private void requireOpen() {
            if (done) {
                throw new IllegalStateException("sha256 already finished");
            }
        }

        /** A downcall's unchecked failure as it is, anything else wrapped. */
        static RuntimeException failed(Throwable e) {
            if (e instanceof Error error) {
                throw error;
            }
            return e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /**
     * Nettle's {@code struct sha256_ctx} kept in a Java array: the struct holds no pointers (state,
     * count, index, a 64-byte block), so the array may move between calls; every call is a critical
     * downcall that reads and writes heap arrays in place.
     */
    private static final class Nettle extends Downcalls {
        static final boolean AVAILABLE;
        /** sizeof(struct sha256_ctx) is 112 bytes in Nettle 3.x; room to spare. */
        private static final int CTX_BYTES = 256;

        private static final MethodHandle INIT;
        private static final MethodHandle UPDATE;
        private static final MethodHandle DIGEST;

        static {
            boolean ok = false;
            MethodHandle init = null;
            MethodHandle update = null;
            MethodHandle digest = null;
            if (!Boolean.getBoolean("jurunc.build.jdkSha256") && !Boolean.getBoolean("jurunc.build.noNettle")) {
                try {
                    Linker linker = Linker.nativeLinker();
                    SymbolLookup lib = SymbolLookup.libraryLookup("libnettle.so.8", Arena.global());
                    Linker.Option critical = Linker.Option.critical(true);
                    init = linker.downcallHandle(
                            lib.findOrThrow("nettle_sha256_init"),
                            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS),
                            critical);
                    // update(ctx, length, data) and digest(ctx, length, out) have the same shape
                    FunctionDescriptor sized =
                            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
                    update = linker.downcallHandle(lib.findOrThrow("nettle_sha256_update"), sized, critical);
                    digest = linker.downcallHandle(lib.findOrThrow("nettle_sha256_digest"), sized, critical);
                    ok = true;
                } catch (Throwable e) {
                    ok = false;
                }
            }
            AVAILABLE = ok;
            INIT = init;
            UPDATE = update;
            DIGEST = digest;
        }

        private byte[] ctx = new byte[CTX_BYTES];

        Nettle() {
            try {
                INIT.invokeExact(MemorySegment.ofArray(ctx));
            } catch (Throwable e) {
                throw failed(e);
            }
        }

        @Override
        void hash(MemorySegment data, long len) throws Throwable {
            UPDATE.invokeExact(MemorySegment.ofArray(ctx), len, data);
        }

        @Override
        void digest(MemorySegment out) throws Throwable {
            DIGEST.invokeExact(MemorySegment.ofArray(ctx), out.byteSize(), out);
        }

        @Override
        void release() {
            ctx = null;
        }
    }

    /** EVP_MD_CTX from libcrypto.so.3; heap arrays are passed without a copy (critical downcalls). */
    private static final class Native extends Downcalls {
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
                    // init(ctx, md, engine) and final(ctx, out, length*) have the same shape
                    FunctionDescriptor threeAddresses = FunctionDescriptor.of(
                            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS);
                    init = linker.downcallHandle(lib.findOrThrow("EVP_DigestInit_ex"), threeAddresses);
                    update = linker.downcallHandle(
                            lib.findOrThrow("EVP_DigestUpdate"),
                            FunctionDescriptor.of(
                                    ValueLayout.JAVA_INT,
                                    ValueLayout.ADDRESS,
                                    ValueLayout.ADDRESS,
                                    ValueLayout.JAVA_LONG),
                            Linker.Option.critical(true));
                    fin = linker.downcallHandle(
                            lib.findOrThrow("EVP_DigestFinal_ex"), threeAddresses, Linker.Option.critical(true));
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

        private final MemorySegment ctx;

        Native() {
            try {
                ctx = (MemorySegment) CTX_NEW.invokeExact();
                if (ctx.equals(MemorySegment.NULL) || (int) INIT.invokeExact(ctx, SHA256, MemorySegment.NULL) != 1) {
                    throw new IllegalStateException("libcrypto could not start a sha256");
                }
            } catch (Throwable e) {
                throw failed(e);
            }
        }

        @Override
        void hash(MemorySegment data, long len) throws Throwable {
            if ((int) UPDATE.invokeExact(ctx, data, len) != 1) {
                throw new IllegalStateException("libcrypto sha256 update failed");
            }
        }

        @Override
        void digest(MemorySegment out) throws Throwable {
            if ((int) FINAL.invokeExact(ctx, out, MemorySegment.NULL) != 1) {
                throw new IllegalStateException("libcrypto sha256 final failed");
            }
        }

        @Override
        void release() throws Throwable {
            CTX_FREE.invokeExact(ctx);
        }
    }
}
