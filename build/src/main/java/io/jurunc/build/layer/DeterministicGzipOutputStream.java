package io.jurunc.build.layer;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream whose header is fixed (mtime 0, no name, OS byte 255 "unknown", as Go writes it),
 * so the output depends only on the input and the deflate level, not on the JDK's header choices.
 */
public final class DeterministicGzipOutputStream extends FilterOutputStream {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[64 * 1024];
    private long size;
    private boolean finished;

    public DeterministicGzipOutputStream(OutputStream out, int level) throws IOException {
        super(out);
        this.deflater = new Deflater(level, true);
        out.write(HEADER);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        crc.update(b, off, len);
        size += len;
        deflater.setInput(b, off, len);
        while (!deflater.needsInput()) {
            drain(Deflater.NO_FLUSH);
        }
    }

    private void drain(int flush) throws IOException {
        int n = deflater.deflate(buf, 0, buf.length, flush);
        if (n > 0) {
            out.write(buf, 0, n);
        }
    }

    /** Finishes the deflate stream and writes the trailer; does not close the underlying stream. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        deflater.finish();
        while (!deflater.finished()) {
            drain(Deflater.NO_FLUSH);
        }
        deflater.end();
        long c = crc.getValue();
        out.write(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)});
    }

    @Override
    public void close() throws IOException {
        finish();
        out.close();
    }
}
