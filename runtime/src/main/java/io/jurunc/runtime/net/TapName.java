package io.jurunc.runtime.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of jurunc taps. The name is derived from the container id, so delete finds the tap again
 * from the id alone: {@code jrtap} + the first 10 hex digits of SHA-256(id), 15 characters (the
 * kernel's limit).
 */
public final class TapName {
    static final String PREFIX = "jrtap";
    private static final int HEX_DIGITS = 10;

    private TapName() {}

    /** The tap name for a container. */
    public static String forContainer(String containerId) {
        requireId(containerId);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(containerId.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest).substring(0, HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Whether a link name has the shape of a jurunc tap (of any container). */
    public static boolean isJuruncTap(String linkName) {
        if (linkName.length() != PREFIX.length() + HEX_DIGITS || !linkName.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < linkName.length(); i++) {
            if (Character.digit(linkName.charAt(i), 16) < 0 || Character.isUpperCase(linkName.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The link alias jurunc puts on its tap, naming the owner; at most 255 bytes. */
    static String aliasFor(String containerId) {
        String alias = "jurunc container " + containerId;
        byte[] bytes = alias.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= 255 ? alias : new String(bytes, 0, 255, StandardCharsets.UTF_8);
    }

    static void requireId(String containerId) {
        if (containerId == null || containerId.isBlank()) {
            throw new IllegalArgumentException("container id is empty");
        }
    }
}
