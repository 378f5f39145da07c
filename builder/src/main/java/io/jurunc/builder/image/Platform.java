package io.jurunc.builder.image;

import java.util.Locale;

/** An image platform: os/architecture[/variant] with GOOS/GOARCH values. */
public record Platform(String os, String architecture, String variant) {
    public Platform {
        if (os == null || os.isBlank() || architecture == null || architecture.isBlank()) {
            throw new IllegalArgumentException("platform needs os and architecture");
        }
        variant = variant == null || variant.isBlank() ? null : variant;
    }

    public static Platform linux(String architecture) {
        return new Platform("linux", architecture, null);
    }

    /**
     * Parses {@code os/arch[/variant]} or a bare architecture. Common aliases (x86_64, x86, aarch64)
     * are normalised to GOARCH names.
     */
    public static Platform parse(String text) {
        String[] parts = text.trim().split("/");
        if (parts.length == 1) {
            return linux(normaliseArch(parts[0]));
        }
        if (parts.length > 3 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("malformed platform \"" + text + "\"");
        }
        return new Platform(
                parts[0].toLowerCase(Locale.ROOT), normaliseArch(parts[1]), parts.length == 3 ? parts[2] : null);
    }

    /** Maps architecture spellings used by kernels and bunnyfiles to GOARCH. */
    public static String normaliseArch(String arch) {
        return switch (arch.trim().toLowerCase(Locale.ROOT)) {
            case "x86_64", "x86-64", "x86", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "i386", "i686", "386" -> "386";
            case "armhf", "arm", "armv7" -> "arm";
            case "riscv64" -> "riscv64";
            case "" -> throw new IllegalArgumentException("empty architecture");
            default -> arch.trim().toLowerCase(Locale.ROOT);
        };
    }

    /** The platform of this JVM's host. */
    public static Platform host() {
        return linux(normaliseArch(System.getProperty("os.arch")));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
