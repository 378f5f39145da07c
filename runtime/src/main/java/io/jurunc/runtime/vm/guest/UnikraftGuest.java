package io.jurunc.runtime.vm.guest;

import io.jurunc.runtime.vm.GuestResources;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.VmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Unikraft: {@code Unikraft [env.vars=[ K=V ... ]] <net> <vfs> [-- <args>]}.
 *
 * <p>Current form (version ≥ 0.16.1 or unknown): {@code netdev.ip=<IP>/<prefix>:<GW>:8.8.8.8}
 * and, with an initrd, {@code vfs.fstab=[ "initrd0:/:extract:::" ]}. Legacy form (&lt; 0.16.1):
 * {@code netdev.ipv4_addr=<IP> netdev.ipv4_gw_addr=<GW> netdev.ipv4_subnet_mask=<MASK>} and
 * {@code vfs.rootfs=initrd}; env vars are dropped, as urunc does. Net parameters appear only with a
 * network (urunc v0.5 emitted {@code netdev.ip=/24::8.8.8.8} without one), and the prefix is the
 * interface's real one (urunc fixes /24).
 */
public final class UnikraftGuest implements GuestType {
    public static final String DNS = "8.8.8.8";

    @Override
    public String key() {
        return "unikraft";
    }

    @Override
    public long minimumBytes(long initrdBytes) {
        return GuestResources.UNIKERNEL_MIN_BYTES;
    }

    @Override
    public Set<String> monitors() {
        return Set.of("qemu", "firecracker");
    }

    /** Unikraft (0.16/0.17) reads env.vars only from its kernel command line. */
    @Override
    public boolean envOnCommandLine() {
        return true;
    }

    @Override
    public Optional<String> versionNote(Optional<String> version) {
        return UnikraftVersion.of(version).note();
    }

    @Override
    public boolean supportsBlock() {
        return false;
    }

    @Override
    public String cmdline(VmSpec spec) {
        UnikraftVersion.Form form = UnikraftVersion.of(spec.unikernelVersion()).form();
        List<String> words = new ArrayList<>();
        words.add("Unikraft");
        if (form == UnikraftVersion.Form.CURRENT && !spec.env().isEmpty()) {
            words.add("env.vars=[ " + String.join(" ", spec.env()) + " ]");
        }
        spec.net().ifPresent(net -> {
            if (form == UnikraftVersion.Form.CURRENT) {
                words.add("netdev.ip=" + GuestNetText.cidr(net) + ":" + net.gatewayText() + ":" + DNS);
            } else {
                words.add("netdev.ipv4_addr=" + GuestNetText.ip(net));
                words.add("netdev.ipv4_gw_addr=" + net.gatewayText());
                words.add("netdev.ipv4_subnet_mask=" + net.netmask());
            }
        });
        if (spec.initrd().isPresent()) {
            words.add(
                    form == UnikraftVersion.Form.CURRENT
                            ? "vfs.fstab=[ \"initrd0:/:extract:::\" ]"
                            : "vfs.rootfs=initrd");
        }
        if (!spec.args().isEmpty()) {
            words.add("--");
            words.addAll(spec.args());
        }
        return String.join(" ", words);
    }
}
