package io.jurunc.runtime.vm.kvm;

import java.util.Locale;

/** The {@code accel} setting in /etc/jurunc/config.toml: probe, or force KVM or TCG. */
public enum AccelChoice {
    AUTO,
    KVM,
    TCG;

    public static AccelChoice parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "auto" -> AUTO;
            case "kvm" -> KVM;
            case "tcg" -> TCG;
            default ->
                throw new IllegalArgumentException(
                        "accel = \"" + value + "\" in /etc/jurunc/config.toml; expected \"auto\", \"kvm\" or \"tcg\"");
        };
    }
}
