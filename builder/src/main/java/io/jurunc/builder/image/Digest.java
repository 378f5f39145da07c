package io.jurunc.builder.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A sha256 content digest, {@code sha256:<64 lowercase hex>}. */
public record Digest(String hex) {
    private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");

    public Digest {
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a sha256 hex digest: " + hex);
        }
    }

    /** Parses {@code sha256:<hex>}; any other algorithm is rejected. */
    public static Digest parse(String text) {
        if (!text.startsWith("sha256:")) {
            throw new IllegalArgumentException("unsupported digest (only sha256): " + text);
        }
        return new Digest(text.substring(7));
    }

    public static Digest of(byte[] bytes) {
        return fromHash(sha256().digest(bytes));
    }

    public static Digest fromHash(byte[] hash) {
        return new Digest(HexFormat.of().formatHex(hash));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
