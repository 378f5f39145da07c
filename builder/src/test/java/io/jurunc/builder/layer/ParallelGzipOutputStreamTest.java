package io.jurunc.builder.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelGzipOutputStreamTest {
    @TempDir
    Path dir;

    /** 3.5 MiB: random blocks, text blocks, and a tail shorter than a block. */
    private static byte[] input() {
        Random r = new Random(42);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] random = new byte[ParallelGzipOutputStream.BLOCK + 1234];
        r.nextBytes(random);
        b.writeBytes(random);
        StringBuilder text = new StringBuilder();
        while (text.length() < 2 * ParallelGzipOutputStream.BLOCK) {
            text.append("line ").append(r.nextInt(1000)).append(" of some compressible text\n");
        }
        b.writeBytes(text.toString().getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[300_000]);
        return b.toByteArray();
    }

    private static byte[] gzip(byte[] data, int level, int threads, int chunk) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out, level, threads)) {
            for (int i = 0; i < data.length; i += chunk) {
                gz.write(data, i, Math.min(chunk, data.length - i));
            }
        }
        return out.toByteArray();
    }

    @Test
    void sameBytesWhateverTheThreadsAndWriteSizesAndValidGzip() throws Exception {
        byte[] data = input();
        byte[] one = gzip(data, 1, 1, 512);
        byte[] three = gzip(data, 1, 3, 100_000);
        assertThat(three).isEqualTo(one);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(one))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        // the random block is stored, the text compresses
        assertThat(one.length).isLessThan(data.length - ParallelGzipOutputStream.BLOCK);
        Path f = dir.resolve("x.gz");
        Files.write(f, gzip(data, 6, 2, 65536));
        Process p = new ProcessBuilder("gzip", "-t", f.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor()).isZero();
    }

    @Test
    void emptyInputAndLevelZero() throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip(new byte[0], 1, 2, 1)))) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        byte[] data = input();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip(data, 0, 2, 4096)))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void probeStoresRandomHuffmanCodesBase64AndMatchesRepetitiveText() throws Exception {
        Random r = new Random(3);
        byte[] random = new byte[ParallelGzipOutputStream.PROBE];
        r.nextBytes(random);
        assertThat(ParallelGzipOutputStream.probe(random)).isEqualTo(ParallelGzipOutputStream.Choice.STORE);
        byte[] base64 =
                java.util.Base64.getMimeEncoder().encode(java.util.Arrays.copyOf(random, random.length * 3 / 4));
        assertThat(ParallelGzipOutputStream.probe(base64)).isEqualTo(ParallelGzipOutputStream.Choice.HUFFMAN);
        byte[] text = input();
        byte[] textBlock = java.util.Arrays.copyOfRange(text, ParallelGzipOutputStream.BLOCK + 1234, text.length);
        assertThat(ParallelGzipOutputStream.probe(textBlock)).isEqualTo(ParallelGzipOutputStream.Choice.MATCH);
        // a stream of base64 blocks round-trips, is smaller than its input, and is thread-independent
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (b.size() < 3 * ParallelGzipOutputStream.BLOCK) {
            byte[] chunk = new byte[300_000];
            r.nextBytes(chunk);
            b.writeBytes(java.util.Base64.getMimeEncoder().encode(chunk));
        }
        byte[] data = b.toByteArray();
        byte[] one = gzip(data, 1, 1, 8192);
        assertThat(gzip(data, 1, 3, 1 << 20)).isEqualTo(one);
        assertThat(one.length).isLessThan(data.length * 80 / 100);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(one))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }
}
