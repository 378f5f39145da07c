package io.jurunc.runtime.vm.guest;

import io.jurunc.runtime.vm.GuestNet;
import io.jurunc.runtime.vm.MemoryUnits;
import io.jurunc.runtime.vm.VmSpec;
import java.util.List;
import java.util.Optional;

/**
 * Mewz (QEMU only): command line {@code ip=<IP>/<prefix> gateway=<GW>}; application args are not
 * passed (Mewz has no argv). Its own QEMU net device, {@code -device
 * virtio-net-pci,netdev=net0,disable-legacy=on,disable-modern=off,mac=<mac> -netdev
 * tap,script=no,downscript=no,id=net0,ifname=<tap>} (urunc's form plus the MAC, so frames
 * redirected from the container interface reach the guest), and {@code -device
 * isa-debug-exit,iobase=0x501,iosize=2} so that Mewz can stop QEMU.
 */
public final class MewzGuest extends QemuOnlyUnikernel {
    /** Mewz's documentation asks for at least 512M. */
    public static final long MIN_BYTES = 512 * MemoryUnits.MIB;

    public MewzGuest() {
        super("mewz", "iobase=0x501,iosize=2");
    }

    @Override
    public long minimumBytes(long initrdBytes) {
        return MIN_BYTES;
    }

    @Override
    public String cmdline(VmSpec spec) {
        return spec.net()
                .map(net -> "ip=" + GuestNetText.cidr(net) + " gateway=" + net.gatewayText())
                .orElse("");
    }

    @Override
    public Optional<List<String>> qemuNetArgs(VmSpec spec, GuestNet net) {
        return Optional.of(List.of(
                "-device",
                "virtio-net-pci,netdev=net0,disable-legacy=on,disable-modern=off,mac=" + net.mac(),
                "-netdev",
                "tap,script=no,downscript=no,id=net0,ifname=" + net.tapName()));
    }
}
