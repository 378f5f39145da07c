package io.jurunc.runtime.vm;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Host-wide QEMU settings: {@code [monitors.qemu]} in /etc/jurunc/config.toml and host facts.
 *
 * @param tcgAccel the {@code -accel} value under TCG; default {@value #DEFAULT_TCG} (the
 *     translation cache, 1 GiB by default and touched lazily, is capped at 32 MiB of RSS)
 * @param vhostNet {@code vhost = true}: add {@code ,vhost=on} to the default tap netdev (needs
 *     /dev/vhost-net)
 * @param dataPath {@code data_path}: QEMU's firmware directory, passed as {@code -L}; null for
 *     QEMU's built-in default
 * @param hostTscKhz the host's TSC frequency ({@link HostTsc}); under TCG a 1-vCPU microvm Linux
 *     guest gets {@code tsc_early_khz=} from it; null when unknown
 */
public record QemuOptions(String tcgAccel, boolean vhostNet, Path dataPath, Long hostTscKhz) {
    public static final String DEFAULT_TCG = "tcg,tb-size=32";

    public QemuOptions {
        Objects.requireNonNull(tcgAccel, "tcgAccel");
        if (!tcgAccel.equals("tcg") && !tcgAccel.startsWith("tcg,")) {
            throw new IllegalArgumentException("TCG accel options must start with 'tcg': " + tcgAccel);
        }
        if (hostTscKhz != null && hostTscKhz <= 0) {
            throw new IllegalArgumentException("host TSC kHz must be positive: " + hostTscKhz);
        }
    }

    public QemuOptions(String tcgAccel, boolean vhostNet, Path dataPath) {
        this(tcgAccel, vhostNet, dataPath, null);
    }

    public QemuOptions(String tcgAccel) {
        this(tcgAccel, false, null, null);
    }

    /** {@value #DEFAULT_TCG}, no vhost, QEMU's own data path, no host TSC value. */
    public static QemuOptions defaults() {
        return new QemuOptions(DEFAULT_TCG);
    }

    /** The defaults plus this host's TSC frequency (read from /proc/cpuinfo). */
    public static QemuOptions forThisHost() {
        var tsc = HostTsc.read();
        return new QemuOptions(DEFAULT_TCG, false, null, tsc.isPresent() ? tsc.getAsLong() : null);
    }

    /** The same options with another host TSC value. */
    public QemuOptions withHostTscKhz(Long khz) {
        return new QemuOptions(tcgAccel, vhostNet, dataPath, khz);
    }
}
