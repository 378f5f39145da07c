package io.jurunc.build.layer;

import io.jurunc.build.image.Digest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Passes bytes through while computing their sha256 and count. */
public final class HashingOutputStream extends FilterOutputStream {
    private final MessageDigest sha = Digest.sha256();
    private long count;

    public HashingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        sha.update((byte) b);
        count++;
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        sha.update(b, off, len);
        count += len;
        out.write(b, off, len);
    }

    public Digest digest() {
        return Digest.fromHash(sha.digest());
    }

    public long count() {
        return count;
    }
}
