package io.jurunc.builder.layer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream compressed in 1 MiB blocks on several threads, as pigz does: each block is a raw
 * deflate run primed with the previous block's last 32 KiB as dictionary and ended with a sync flush
 * (the last one with finish), so the concatenation is one valid deflate stream. A block whose first
 * 64 KiB do not compress (already-compressed or random data) is stored instead, and one where string
 * matching gains nothing over Huffman coding (base64 or other high-entropy text) is Huffman-coded
 * only; both save most of the CPU on such files ({@link #probe}).
 *
 * <p>The bytes depend only on the input, the level and the JDK's zlib, never on the number of
 * threads or their timing: block boundaries are fixed and blocks are written in order. The header
 * is fixed too (mtime 0, no name, OS byte 255, as Go writes it).
 *
 * <p>Memory: each worker deflates into a scratch array of its own and copies the result back into
 * the block's input array (sized for the worst case of deflate's output), so a compressed block
 * waiting for its turn holds no second array; the next block is filled in the array of the block
 * written last. With {@code t} threads that is {@code 2t + 1} arrays of about 1 MiB in all (was
 * {@code 3t + 1} with an output array per pending block), and written blocks go out in
 * {@link #WRITE_CHUNK} slices so that the file channel's temporary direct buffer stays small.
 */
public final class ParallelGzipOutputStream extends OutputStream {
    static final int BLOCK = 1 << 20;
    static final int DICT = 32 * 1024;
    static final int PROBE = 64 * 1024;
    /** Deflate's output for one block is at most this long (stored blocks and sync flushes included). */
    static final int CAPACITY = BLOCK + BLOCK / 100 + 1024;
    /**
     * Slice size of the writes to the underlying stream: a file channel copies a heap array through a
     * per-thread direct buffer as large as the write, which stays allocated.
     */
    static final int WRITE_CHUNK = 256 * 1024;

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final OutputStream out;
    private final int level;
    private final ExecutorService pool;
    private final int maxPending;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** Block arrays whose compressed bytes were written, reused so that a large layer makes little garbage. */
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    /** Dictionary arrays of written blocks, reused likewise. */
    private final ArrayDeque<byte[]> freeDict = new ArrayDeque<>();

    private static final ThreadLocal<byte[]> SINK = ThreadLocal.withInitial(() -> new byte[PROBE + 1024]);
    /** Each worker's deflate output; the result is copied back into the block's own array. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[CAPACITY]);

    private record Compressed(byte[] buffer, int length) {}

    private record Pending(Future<Compressed> compressed, byte[] input, byte[] dictionary) {}

    private final CRC32 crc = new CRC32();
    private byte[] block = new byte[CAPACITY];
    private int fill;
    private byte[] dictionary;
    private long size;
    private boolean finished;
    private long waited;

    public ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
        this.out = out;
        this.level = level;
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "jurunc-gzip");
            t.setDaemon(true);
            return t;
        });
        // while a block is filled, one block is in flight per thread: every thread stays busy, and
        // the heap holds threads + 1 block arrays and one scratch array per thread (about 1 MiB each)
        this.maxPending = Math.max(1, threads) + 1;
        out.write(HEADER);
    }

    /** One thread per CPU, at most 4: more gives little for gzip and costs memory. */
    public static int defaultThreads() {
        return Math.min(4, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, BLOCK - fill);
            System.arraycopy(b, off, block, fill, n);
            crc.update(b, off, n);
            fill += n;
            size += n;
            off += n;
            len -= n;
            if (fill == BLOCK) {
                submit(false);
            }
        }
    }

    private void submit(boolean last) throws IOException {
        byte[] data = block;
        int length = fill;
        byte[] dict = dictionary;
        if (length >= DICT) {
            dictionary = freeDict.isEmpty() ? new byte[DICT] : freeDict.pop();
            System.arraycopy(data, length - DICT, dictionary, 0, DICT);
        } else {
            dictionary = null;
        }
        pending.add(new Pending(pool.submit(() -> compress(data, length, dict, last)), data, dict));
        // write the oldest block first, so that its array is free for the next one
        while (pending.size() >= maxPending) {
            drainOne();
        }
        block = free.isEmpty() ? new byte[CAPACITY] : free.pop();
        fill = 0;
    }

    private Compressed compress(byte[] data, int length, byte[] dict, boolean last) {
        int chosen = level;
        int strategy = Deflater.DEFAULT_STRATEGY;
        if (level > 0 && length >= PROBE) {
            switch (probe(data)) {
                case STORE -> chosen = Deflater.NO_COMPRESSION;
                case HUFFMAN -> strategy = Deflater.HUFFMAN_ONLY;
                case MATCH -> {}
            }
        }
        Deflater d = new Deflater(chosen, true);
        try {
            if (strategy != Deflater.DEFAULT_STRATEGY) {
                d.setStrategy(strategy);
            }
            if (dict != null) {
                d.setDictionary(dict);
            }
            d.setInput(data, 0, length);
            if (last) {
                d.finish();
            }
            byte[] buf = SCRATCH.get();
            int pos = 0;
            while (true) {
                int n = d.deflate(buf, pos, buf.length - pos, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
                pos += n;
                if (last ? d.finished() : (pos < buf.length && d.needsInput())) {
                    break;
                }
                if (pos == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
            }
            if (pos <= data.length) {
                // the input is consumed: its array holds the output until the block is written
                System.arraycopy(buf, 0, data, 0, pos);
                return new Compressed(data, pos);
            }
            return new Compressed(Arrays.copyOf(buf, pos), pos);
        } finally {
            d.end();
        }
    }

    /** How a block is encoded, decided from its first 64 KiB. */
    enum Choice {
        STORE,
        HUFFMAN,
        MATCH
    }

    /**
     * Compresses the first 64 KiB at level 1 and with Huffman coding only. Less than 2 % saved means
     * "store this block" (random or already-compressed data); string matching saving less than 2 %
     * over Huffman coding alone (base64, hex, other high-entropy text) means "Huffman only", which
     * is about four times faster than level 1 and as small or smaller. Otherwise the block gets the
     * requested level. The choice depends only on the block's bytes.
     */
    static Choice probe(byte[] data) {
        int matched = probeSize(data, Deflater.DEFAULT_STRATEGY);
        if (matched > PROBE * 98L / 100) {
            return Choice.STORE;
        }
        int huffman = probeSize(data, Deflater.HUFFMAN_ONLY);
        return huffman <= matched * 102L / 100 ? Choice.HUFFMAN : Choice.MATCH;
    }

    private static int probeSize(byte[] data, int strategy) {
        Deflater probe = new Deflater(Deflater.BEST_SPEED, true);
        try {
            if (strategy != Deflater.DEFAULT_STRATEGY) {
                probe.setStrategy(strategy);
            }
            probe.setInput(data, 0, PROBE);
            probe.finish();
            byte[] sink = SINK.get();
            int total = 0;
            while (!probe.finished()) {
                total += probe.deflate(sink);
            }
            return total;
        } finally {
            probe.end();
        }
    }

    private void drainOne() throws IOException {
        try {
            Pending p = pending.removeFirst();
            long t0 = System.nanoTime();
            Compressed c = p.compressed().get();
            waited += System.nanoTime() - t0;
            for (int off = 0; off < c.length(); off += WRITE_CHUNK) {
                out.write(c.buffer(), off, Math.min(WRITE_CHUNK, c.length() - off));
            }
            free.push(p.input());
            if (p.dictionary() != null) {
                freeDict.push(p.dictionary());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("compression failed", e.getCause());
        }
    }

    /** How long the writing thread has waited for compressed blocks (for {@code --timings}). */
    public long waitedNanos() {
        return waited;
    }

    /** Compresses what is left, writes the trailer; does not close the underlying stream. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            submit(true);
            while (!pending.isEmpty()) {
                drainOne();
            }
        } finally {
            pool.shutdownNow();
        }
        long c = crc.getValue();
        out.write(new byte[] {
            (byte) c,
            (byte) (c >> 8),
            (byte) (c >> 16),
            (byte) (c >> 24),
            (byte) size,
            (byte) (size >> 8),
            (byte) (size >> 16),
            (byte) (size >> 24)
        });
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            pool.shutdownNow();
            out.close();
        }
    }
}
