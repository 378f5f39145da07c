package io.jurunc.runtime.vm.monitor;

import io.jurunc.runtime.vm.BlockDevice;
import io.jurunc.runtime.vm.GuestNet;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.MemoryUnits;
import io.jurunc.runtime.vm.MonitorInvocation;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.QemuOptions;
import io.jurunc.runtime.vm.VmSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Solo5 hvt and spt: {@code solo5-hvt --mem=<MB> [<net>] [<block>...] <kernel> <cmdline words...>}.
 * The devices go by the Solo5 manifest names the unikernel declares: {@code --net:<name>=<tap>
 * --net-mac:<name>=<mac>} and {@code --block:<name>=<path>}, the names being the image's ({@code
 * solo5NetDev}/{@code solo5BlkDev}) or else the guest's ({@link GuestType#solo5NetName()}, {@link
 * GuestType#solo5BlockName()}); block devices after the first go by their ids. Memory is decimal MB.
 * The command line is split on single spaces, as urunc does; the tender joins the words back with
 * single spaces. A tender loads no initrd, has no vsock and no PCI bus; hvt needs KVM, spt none.
 */
public abstract sealed class Solo5Monitor implements MonitorType permits Solo5Monitor.Hvt, Solo5Monitor.Spt {
    private final String key;

    private Solo5Monitor(String key) {
        this.key = key;
    }

    /** Solo5's hvt tender, on KVM. */
    public static final class Hvt extends Solo5Monitor {
        public Hvt() {
            super("hvt");
        }

        @Override
        public KvmUse kvm() {
            return KvmUse.REQUIRED;
        }
    }

    /** Solo5's spt tender: the guest as a seccomp-confined process, no KVM. */
    public static final class Spt extends Solo5Monitor {
        public Spt() {
            super("spt");
        }

        @Override
        public KvmUse kvm() {
            return KvmUse.NONE;
        }
    }

    @Override
    public final String key() {
        return key;
    }

    @Override
    public final List<String> aliases() {
        return List.of("solo5-" + key);
    }

    @Override
    public final String binaryName(String arch) {
        return "solo5-" + key;
    }

    @Override
    public final MemoryUnits.Unit memoryUnit() {
        return MemoryUnits.Unit.MB;
    }

    @Override
    public final boolean loadsInitrd() {
        return false;
    }

    @Override
    public final boolean hasVsock() {
        return false;
    }

    @Override
    public final boolean pciBus(VmSpec spec) {
        return false;
    }

    @Override
    public final MonitorInvocation invocation(VmSpec spec, String cmdline, QemuOptions qemu) {
        GuestType guest = spec.guest();
        List<String> a = new ArrayList<>();
        a.add(spec.monitorBinary().toString());
        a.add("--mem=" + memoryUnit().of(spec.memoryBytes()));
        spec.net().ifPresent(net -> a.addAll(net(spec.solo5Devices().net().orElse(guest.solo5NetName()), net)));
        List<BlockDevice> blocks = spec.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            BlockDevice d = blocks.get(i);
            String name = i == 0
                    ? spec.solo5Devices().block().or(guest::solo5BlockName).orElse(d.id())
                    : d.id();
            a.add("--block:" + name + "=" + d.hostPath());
        }
        a.add(spec.kernel().toString());
        for (String word : cmdline.split(" ")) {
            if (!word.isEmpty()) {
                a.add(word);
            }
        }
        return new MonitorInvocation(a, List.of());
    }

    private static List<String> net(String name, GuestNet net) {
        return List.of("--net:" + name + "=" + net.tapName(), "--net-mac:" + name + "=" + net.mac());
    }
}
