package io.jurunc.runtime.vm.guest;

import io.jurunc.runtime.vm.VmSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * MirageOS: {@code <args> --ipv4=<IP>/<prefix> --ipv4-gateway=<GW>} (the net part only with a
 * network; the gateway only when there is one). urunc writes the net options first; a Mirage
 * unikernel parses its command line with cmdliner, for which the order of options does not matter,
 * but Solo5 programs that read their first word (Solo5's {@code test_net}: {@code verbose}/{@code
 * limit}) only work with the image's arguments first, so they come first here. On Solo5 its devices are {@code service} and
 * {@code storage}; on QEMU the monitor's virtio defaults apply.
 */
public final class MirageGuest extends Solo5Unikernel {
    public MirageGuest() {
        super("mirage", "service", "storage");
    }

    @Override
    public String cmdline(VmSpec spec) {
        List<String> words = new ArrayList<>(spec.args());
        spec.net().ifPresent(net -> {
            words.add("--ipv4=" + GuestNetText.cidr(net));
            if (net.gateway() != null) {
                words.add("--ipv4-gateway=" + net.gatewayText());
            }
        });
        return String.join(" ", words);
    }
}
