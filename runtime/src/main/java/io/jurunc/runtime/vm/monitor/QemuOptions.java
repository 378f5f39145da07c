package io.jurunc.runtime.vm.monitor;

import java.util.Objects;

/**
 * Host-wide QEMU tuning: the {@code -accel} value used under TCG (e.g. {@code tcg} or {@code
 * tcg,tb-size=64}).
 */
public record QemuOptions(String tcgAccel) {
  public QemuOptions {
    Objects.requireNonNull(tcgAccel, "tcgAccel");
    if (!tcgAccel.equals("tcg") && !tcgAccel.startsWith("tcg,")) {
      throw new IllegalArgumentException("TCG accel options must start with 'tcg': " + tcgAccel);
    }
  }

  public static QemuOptions defaults() {
    return new QemuOptions("tcg");
  }
}
