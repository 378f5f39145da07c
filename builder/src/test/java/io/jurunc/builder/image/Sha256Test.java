package io.jurunc.builder.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha256Test {
    @Test
    void nettleAndLibcryptoLoadOnThisHostAndNettleIsChosen() {
        assertThat(Sha256.nettleAvailable())
                .as("libnettle.so.8 loads through FFM")
                .isTrue();
        assertThat(Sha256.libcryptoAvailable())
                .as("libcrypto.so.3 loads through FFM")
                .isTrue();
        assertThat(Sha256.isNative()).isTrue();
        assertThat(Sha256.create().getClass().getSimpleName()).isEqualTo("Nettle");
    }

    @Test
    void nettleLibcryptoAndJdkGiveTheSameDigestForAnySplit() throws Exception {
        sameDigestForAnySplit(Sha256::nettle);
        sameDigestForAnySplit(Sha256::libcrypto);
        sameDigestForAnySplit(Sha256::create);
    }

    @Test
    void nettleContextsAreIndependentAndSurviveGarbageCollection() throws Exception {
        byte[] a = new byte[1 << 20];
        byte[] b = new byte[1 << 20];
        new Random(3).nextBytes(a);
        new Random(4).nextBytes(b);
        try (Sha256 x = Sha256.nettle();
                Sha256 y = Sha256.nettle()) {
            for (int off = 0; off < a.length; off += 4099) {
                int len = Math.min(4099, a.length - off);
                x.update(a, off, len);
                y.update(b, off, len);
                if (off % (64 * 4099) == 0) {
                    System.gc(); // the contexts live in Java arrays, which may move between calls
                }
            }
            assertThat(x.finish())
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(a));
            assertThat(y.finish())
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(b));
        }
    }

    private static void sameDigestForAnySplit(java.util.function.Supplier<Sha256> impl) throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(data);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
        for (int chunk : new int[] {1, 63, 64, 65, 4096, 1 << 20, data.length}) {
            try (Sha256 n = impl.get();
                    Sha256 j = Sha256.jdk()) {
                int off = 0;
                while (off < data.length) {
                    // single bytes only at the start, then the rest in one call
                    int len = chunk == 1 && off >= 5000 ? data.length - off : Math.min(chunk, data.length - off);
                    n.update(data, off, len);
                    j.update(data, off, len);
                    off += len;
                }
                assertThat(n.finish()).isEqualTo(expected);
                assertThat(j.finish()).isEqualTo(expected);
            }
        }
        try (Sha256 empty = impl.get()) {
            assertThat(Digest.fromHash(empty.finish()).hex())
                    .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        }
    }

    @Test
    void boundsAndUseAfterFinishAreRefused() {
        for (java.util.function.Supplier<Sha256> impl :
                java.util.List.<java.util.function.Supplier<Sha256>>of(Sha256::nettle, Sha256::libcrypto)) {
            Sha256 s = impl.get();
            assertThatThrownBy(() -> s.update(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
            s.finish();
            assertThatThrownBy(() -> s.update(new byte[4], 0, 1)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(s::finish).isInstanceOf(IllegalStateException.class);
        }
    }
}
