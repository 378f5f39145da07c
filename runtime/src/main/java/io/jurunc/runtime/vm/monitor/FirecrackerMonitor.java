package io.jurunc.runtime.vm.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jurunc.runtime.vm.BlockDevice;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.MemoryUnits;
import io.jurunc.runtime.vm.MonitorInvocation;
import io.jurunc.runtime.vm.QemuOptions;
import io.jurunc.runtime.vm.VmSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Firecracker: {@code firecracker --no-api --config-file <workDir>/fc.json [--no-seccomp]} and the
 * JSON config (urunc §3.3, [newer] form):
 *
 * <pre>{"boot-source":{"kernel_image_path":..,"boot_args":..,"initrd_path":..(with an initrd)},
 *  "machine-config":{"vcpu_count":N,"mem_size_mib":N,"smt":false,"track_dirty_pages":false},
 *  "drives":[{"drive_id":..,"is_read_only":false,"is_root_device":(id is "rootfs"),"path_on_host":..}],
 *  "network-interfaces":[{"iface_id":"net1","guest_mac":..,"host_dev_name":<tap>}],
 *  "vsock":{"guest_cid":N,"uds_path":..,"vsock_id":"root"}}</pre>
 *
 * drives, network-interfaces and vsock appear only when present. Memory is in MiB. It needs KVM,
 * loads an initrd, proxies vsock over a unix socket and has no PCI bus.
 */
public final class FirecrackerMonitor extends RustVmmMonitor {
    public static final String CONFIG_FILE = "fc.json";

    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    public FirecrackerMonitor() {
        super("firecracker");
    }

    @Override
    public boolean pciBus(VmSpec spec) {
        return false;
    }

    @Override
    public MonitorInvocation invocation(VmSpec spec, String cmdline, QemuOptions qemu) {
        GuestType guest = spec.guest();
        Path config = spec.workDir().resolve(CONFIG_FILE);
        List<String> argv = new ArrayList<>(
                List.of(spec.monitorBinary().toString(), "--no-api", "--config-file", config.toString()));
        if (!spec.seccomp()) {
            argv.add("--no-seccomp");
        }
        return new MonitorInvocation(
                argv, List.of(new MonitorInvocation.GeneratedFile(config, configJson(spec, guest, cmdline))));
    }

    static String configJson(VmSpec spec, GuestType guest, String cmdline) {
        ObjectMapper mapper = Json.MAPPER;
        ObjectNode root = mapper.createObjectNode();
        ObjectNode boot = root.putObject("boot-source");
        boot.put("kernel_image_path", spec.kernel().toString());
        boot.put("boot_args", cmdline);
        spec.initrd().ifPresent(i -> boot.put("initrd_path", i.toString()));
        ObjectNode machine = root.putObject("machine-config");
        machine.put("vcpu_count", spec.vcpus());
        machine.put("mem_size_mib", MemoryUnits.Unit.MIB.of(spec.memoryBytes()));
        machine.put("smt", false);
        machine.put("track_dirty_pages", false);
        if (!spec.blocks().isEmpty()) {
            ArrayNode drives = root.putArray("drives");
            for (BlockDevice d : spec.blocks()) {
                ObjectNode drive = drives.addObject();
                drive.put("drive_id", guest.firecrackerDriveId(d));
                drive.put("is_read_only", false);
                drive.put("is_root_device", d.id().equals("rootfs"));
                drive.put("path_on_host", d.hostPath().toString());
            }
        }
        spec.net().ifPresent(net -> {
            ObjectNode iface = root.putArray("network-interfaces").addObject();
            iface.put("iface_id", "net1");
            iface.put("guest_mac", net.mac());
            iface.put("host_dev_name", net.tapName());
        });
        spec.vsock().ifPresent(v -> {
            ObjectNode vsock = root.putObject("vsock");
            vsock.put("guest_cid", v.guestCid());
            vsock.put("uds_path", vsockSocket(spec, v).toString());
            vsock.put("vsock_id", "root");
        });
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }
}
