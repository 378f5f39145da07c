package io.jurunc.runtime.vm.monitor;

import io.jurunc.runtime.vm.BlockDevice;
import io.jurunc.runtime.vm.GuestNet;
import io.jurunc.runtime.vm.MemoryUnits;
import io.jurunc.runtime.vm.MonitorInvocation;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.VmSpec;
import io.jurunc.runtime.vm.guest.GuestKernel;
import java.util.ArrayList;
import java.util.List;

/**
 * Solo5 hvt and spt: {@code solo5-hvt --mem=<MB> [<net>] [<block>...] [<extra>] <kernel>
 * <cmdline words...>}. The guest names the devices ({@code --net:<name>=<tap>
 * --net-mac:<name>=<mac>}, {@code --block:<name>=<path>}); without a guest fragment the names are
 * {@code service} and the device id. Memory is decimal MB. The command line is split on single
 * spaces, as urunc does; the tender joins the words back with single spaces.
 */
public final class Solo5Builder extends GuestMonitorBuilder {
    private final MonitorType type;

    public Solo5Builder(MonitorType type) {
        if (type != MonitorType.HVT && type != MonitorType.SPT) {
            throw new IllegalArgumentException("not a Solo5 tender: " + type);
        }
        this.type = type;
    }

    @Override
    public MonitorType type() {
        return type;
    }

    @Override
    public MonitorInvocation build(VmSpec spec, GuestKernel guest, String cmdline) {
        List<String> a = new ArrayList<>();
        a.add(spec.monitorBinary().toString());
        a.add("--mem=" + MemoryUnits.forMonitor(type, spec.memoryBytes()));
        spec.net().ifPresent(net -> a.addAll(guest.netArgs(type, spec, net).orElseGet(() -> defaultNet(net))));
        List<BlockDevice> blocks = spec.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            BlockDevice d = blocks.get(i);
            a.addAll(guest.blockArgs(type, spec, d, i)
                    .orElseGet(() -> List.of("--block:" + d.id() + "=" + d.hostPath())));
        }
        a.addAll(guest.extraArgs(type, spec));
        a.add(spec.kernel().toString());
        for (String word : cmdline.split(" ")) {
            if (!word.isEmpty()) {
                a.add(word);
            }
        }
        return new MonitorInvocation(a, List.of());
    }

    private static List<String> defaultNet(GuestNet net) {
        return List.of("--net:service=" + net.tapName(), "--net-mac:service=" + net.mac());
    }
}
