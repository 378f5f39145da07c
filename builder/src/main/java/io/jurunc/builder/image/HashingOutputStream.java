package io.jurunc.builder.image;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Passes bytes through while computing their sha256 (Nettle's or libcrypto's when available) and count. */
public final class HashingOutputStream extends FilterOutputStream {
    private final Sha256 sha = Sha256.create();
    private long count;
    private Digest digest;

    public HashingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        sha.update(b, off, len);
        count += len;
        out.write(b, off, len);
    }

    /** The digest of everything written; ends the hash, so write nothing after asking. */
    public Digest digest() {
        if (digest == null) {
            digest = Digest.fromHash(sha.finish());
        }
        return digest;
    }

    public long count() {
        return count;
    }

    /** Frees the hash without a digest (a stream given up on); {@link #digest} cannot be asked afterwards. */
    public void abandon() {
        if (digest == null) {
            sha.close();
        }
    }
}
