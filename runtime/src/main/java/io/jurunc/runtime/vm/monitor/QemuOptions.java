package io.jurunc.runtime.vm.monitor;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Host-wide QEMU settings from {@code [monitors.qemu]} in /etc/jurunc/config.toml.
 *
 * @param tcgAccel the {@code -accel} value under TCG, e.g. {@code tcg} or {@code tcg,tb-size=64}
 * @param vhostNet {@code vhost = true}: add {@code ,vhost=on} to the default tap netdev (needs
 *     /dev/vhost-net)
 * @param dataPath {@code data_path}: QEMU's firmware directory, passed as {@code -L}; null for
 *     QEMU's built-in default
 */
public record QemuOptions(String tcgAccel, boolean vhostNet, Path dataPath) {
  public QemuOptions {
    Objects.requireNonNull(tcgAccel, "tcgAccel");
    if (!tcgAccel.equals("tcg") && !tcgAccel.startsWith("tcg,")) {
      throw new IllegalArgumentException("TCG accel options must start with 'tcg': " + tcgAccel);
    }
  }

  public QemuOptions(String tcgAccel) {
    this(tcgAccel, false, null);
  }

  public static QemuOptions defaults() {
    return new QemuOptions("tcg");
  }
}
