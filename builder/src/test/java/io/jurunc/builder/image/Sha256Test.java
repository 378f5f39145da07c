package io.jurunc.builder.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha256Test {
    @Test
    void libcryptoIsUsedOnThisHost() {
        assertThat(Sha256.isNative()).as("libcrypto.so.3 loads through FFM").isTrue();
    }

    @Test
    void nativeAndJdkGiveTheSameDigestForAnySplit() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(data);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
        for (int chunk : new int[] {1, 63, 64, 65, 4096, 1 << 20, data.length}) {
            try (Sha256 n = Sha256.create();
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
        try (Sha256 empty = Sha256.create()) {
            assertThat(Digest.fromHash(empty.finish()).hex())
                    .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        }
    }

    @Test
    void boundsAndUseAfterFinishAreRefused() {
        Sha256 s = Sha256.create();
        assertThatThrownBy(() -> s.update(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        s.finish();
        assertThatThrownBy(() -> s.update(new byte[4], 0, 1)).isInstanceOf(IllegalStateException.class);
    }
}
