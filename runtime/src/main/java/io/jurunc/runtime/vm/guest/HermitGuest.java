package io.jurunc.runtime.vm.guest;

import io.jurunc.runtime.vm.GuestNet;
import io.jurunc.runtime.vm.GuestResources;
import io.jurunc.runtime.vm.VmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hermit (QEMU only; the kernel is the hermit loader and the application the initrd): command
 * line {@code ip=<IP>/<prefix> gateway=<GW> -- <args>}. QEMU net: {@code -netdev
 * tap,id=net0,ifname=<tap>,script=no,downscript=no -device
 * virtio-net-pci,netdev=net0,disable-legacy=on,mac=<mac>}. Hermit leaves through the
 * isa-debug-exit port 0xf4, so that device is added, and under TCG it needs the CPU features its
 * documentation lists ({@value #TCG_CPU}).
 */
public final class HermitGuest extends QemuOnlyUnikernel {
    public static final String TCG_CPU = "qemu64,apic,fsgsbase,fxsr,rdrand,rdtscp,xsave,xsaveopt";

    public HermitGuest() {
        super("hermit", "iobase=0xf4,iosize=0x04");
    }

    @Override
    public long minimumBytes(long initrdBytes) {
        return GuestResources.UNIKERNEL_MIN_BYTES;
    }

    @Override
    public String cmdline(VmSpec spec) {
        List<String> words = new ArrayList<>();
        spec.net().ifPresent(net -> {
            words.add("ip=" + GuestNetText.cidr(net));
            words.add("gateway=" + net.gatewayText());
        });
        if (!spec.args().isEmpty()) {
            words.add("--");
            words.addAll(spec.args());
        }
        return String.join(" ", words);
    }

    @Override
    public Optional<List<String>> qemuNetArgs(VmSpec spec, GuestNet net) {
        return Optional.of(List.of(
                "-netdev",
                "tap,id=net0,ifname=" + net.tapName() + ",script=no,downscript=no",
                "-device",
                "virtio-net-pci,netdev=net0,disable-legacy=on,mac=" + net.mac()));
    }

    @Override
    public Optional<String> qemuTcgCpu() {
        return Optional.of(TCG_CPU);
    }
}
