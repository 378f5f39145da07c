package io.jurunc.runtime.vm.monitor;

import io.jurunc.runtime.vm.BlockDevice;
import io.jurunc.runtime.vm.MonitorInvocation;
import io.jurunc.runtime.vm.QemuOptions;
import io.jurunc.runtime.vm.VmSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Cloud Hypervisor (urunc [newer]):
 *
 * <pre>
 * cloud-hypervisor --memory size=&lt;MiB&gt;M --cpus boot=&lt;N&gt; --kernel &lt;k&gt;
 *   --console off --serial tty --seccomp true|false
 *   [--net tap=&lt;tap&gt;,mac=&lt;mac&gt;] [--disk path=&lt;p&gt;,id=&lt;id&gt; ...] [--initramfs &lt;i&gt;]
 *   [--vsock cid=&lt;N&gt;,socket=&lt;uds&gt;] --cmdline &lt;cmdline&gt;
 * </pre>
 *
 * Memory is in MiB. It needs KVM, loads an initrd, proxies vsock over a unix socket, and its virtio
 * devices are PCI. Also known as {@code clh}.
 */
public final class CloudHypervisorMonitor extends RustVmmMonitor {
    public CloudHypervisorMonitor() {
        super("cloud-hypervisor");
    }

    @Override
    public List<String> aliases() {
        return List.of("clh");
    }

    @Override
    public boolean pciBus(VmSpec spec) {
        return true;
    }

    @Override
    public MonitorInvocation invocation(VmSpec spec, String cmdline, QemuOptions qemu) {
        List<String> a = new ArrayList<>();
        a.add(spec.monitorBinary().toString());
        a.add("--memory");
        a.add("size=" + memoryUnit().of(spec.memoryBytes()) + "M");
        a.add("--cpus");
        a.add("boot=" + spec.vcpus());
        a.addAll(List.of("--kernel", spec.kernel().toString()));
        a.addAll(List.of("--console", "off", "--serial", "tty"));
        a.addAll(List.of("--seccomp", Boolean.toString(spec.seccomp())));
        spec.net().ifPresent(n -> a.addAll(List.of("--net", "tap=" + n.tapName() + ",mac=" + n.mac())));
        if (!spec.blocks().isEmpty()) {
            a.add("--disk");
            for (BlockDevice d : spec.blocks()) {
                a.add("path=" + d.hostPath() + ",id=" + d.id());
            }
        }
        spec.initrd().ifPresent(i -> a.addAll(List.of("--initramfs", i.toString())));
        spec.vsock()
                .ifPresent(
                        v -> a.addAll(List.of("--vsock", "cid=" + v.guestCid() + ",socket=" + vsockSocket(spec, v))));
        a.addAll(List.of("--cmdline", cmdline));
        return new MonitorInvocation(a, List.of());
    }
}
