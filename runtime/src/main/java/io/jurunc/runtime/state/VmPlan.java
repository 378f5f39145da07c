package io.jurunc.runtime.state;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.jurunc.runtime.vm.Accel;
import io.jurunc.runtime.vm.BlockDevice;
import io.jurunc.runtime.vm.GuestNet;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.KernelProfile;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.SharedDir;
import io.jurunc.runtime.vm.Solo5DeviceNames;
import io.jurunc.runtime.vm.VmSpec;
import io.jurunc.runtime.vm.Vsock;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@code create} decided about the VM, persisted so that {@code start} can add the
 * network (which may only exist by then: {@code ctr run --cni} configures the container's netns
 * between create and start) and build the monitor's command line. Plain values only (nullable
 * strings instead of Optionals) so it round-trips through JSON.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VmPlan(
        String containerId,
        GuestType guest,
        MonitorType monitor,
        String monitorBinary,
        String kernel,
        String initrd,
        List<Block> blocks,
        long memoryBytes,
        int vcpus,
        List<String> args,
        List<String> env,
        String unikernelVersion,
        String workDir,
        boolean seccomp,
        Accel accel,
        KernelProfile kernelProfile,
        Long vsockCid,
        String vsockUds,
        String hostname,
        boolean debug,
        String solo5NetDev,
        String solo5BlkDev,
        List<Share> shares) {

    public VmPlan {
        shares = shares == null ? List.of() : List.copyOf(shares);
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
    }

    /** A block device, as plain values. */
    public record Block(String id, String hostPath, String guestMountPoint, String fsType) {}

    /** A directory shared with the guest, as plain values. */
    public record Share(String tag, String at, boolean readOnly, List<ShareBind> binds) {}

    /** A host path bound into a share. */
    public record ShareBind(String source, String at, boolean readOnly) {}

    /** The plan of a validated spec (its network, if any, is not kept: start decides it). */
    public static VmPlan of(VmSpec s) {
        return new VmPlan(
                s.containerId(),
                s.guest(),
                s.monitor(),
                s.monitorBinary().toString(),
                s.kernel().toString(),
                s.initrd().map(Path::toString).orElse(null),
                s.blocks().stream()
                        .map(b -> new Block(b.id(), b.hostPath().toString(), b.guestMountPoint(), b.fsType()))
                        .toList(),
                s.memoryBytes(),
                s.vcpus(),
                s.args(),
                s.env(),
                s.unikernelVersion().orElse(null),
                s.workDir().toString(),
                s.seccomp(),
                s.accel(),
                s.kernelProfile(),
                s.vsock().map(Vsock::guestCid).orElse(null),
                s.vsock()
                        .map(v -> v.udsPath() == null ? null : v.udsPath().toString())
                        .orElse(null),
                s.hostname(),
                s.debug(),
                s.solo5Devices().net().orElse(null),
                s.solo5Devices().block().orElse(null),
                s.shares().stream()
                        .map(d -> new Share(
                                d.tag(),
                                d.at().toString(),
                                d.readOnly(),
                                d.binds().stream()
                                        .map(b -> new ShareBind(b.source().toString(), b.at().toString(), b.readOnly()))
                                        .toList()))
                        .toList());
    }

    public VmSpec toVmSpec(Optional<GuestNet> net) {
        return new VmSpec(
                containerId,
                guest,
                monitor,
                Path.of(monitorBinary),
                Path.of(kernel),
                Optional.ofNullable(initrd).map(Path::of),
                blocks.stream()
                        .map(b -> new BlockDevice(b.id(), Path.of(b.hostPath()), b.guestMountPoint(), b.fsType()))
                        .toList(),
                memoryBytes,
                vcpus,
                args,
                env,
                net,
                Optional.ofNullable(unikernelVersion),
                Path.of(workDir),
                seccomp,
                accel,
                kernelProfile,
                vsockCid == null
                        ? Optional.empty()
                        : Optional.of(new Vsock(vsockCid, vsockUds == null ? null : Path.of(vsockUds))),
                hostname,
                debug,
                new Solo5DeviceNames(Optional.ofNullable(solo5NetDev), Optional.ofNullable(solo5BlkDev)),
                shares.stream()
                        .map(d -> new SharedDir(
                                d.tag(),
                                Path.of(d.at()),
                                d.readOnly(),
                                d.binds().stream()
                                        .map(b ->
                                                new SharedDir.Bind(Path.of(b.source()), Path.of(b.at()), b.readOnly()))
                                        .toList()))
                        .toList());
    }
}
