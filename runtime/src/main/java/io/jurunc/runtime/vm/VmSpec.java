package io.jurunc.runtime.vm;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to boot one sandbox, independent of the monitor. Built (and validated) by the
 * create operation; monitor builders turn it into an argv and config files and trust it.
 *
 * @param containerId the container id
 * @param guest the guest kind
 * @param monitor the monitor kind
 * @param monitorBinary the resolved monitor executable
 * @param kernel host path of the guest kernel
 * @param initrd host path of the initrd/initramfs, if any
 * @param blocks block devices, in order
 * @param memoryBytes guest RAM as given by the spec's memory limit (or the configured default);
 *     each monitor rounds it with its own rule (decimal MB for qemu/solo5, MiB for firecracker)
 * @param vcpus number of vCPUs
 * @param args the application's argv (process.args, or the cmdline annotation split)
 * @param env the application's environment (process.env)
 * @param net the guest network, empty for no NIC
 * @param unikernelVersion e.g. "0.17.0" (Unikraft uses it to pick its cmdline form)
 * @param workDir a per-container directory for generated files (e.g. the Firecracker config)
 * @param seccomp whether the monitor should sandbox itself (false when spec.linux.seccomp is null)
 * @param accel KVM or TCG, from the KVM probe
 * @param kernelProfile what the kernel can boot on
 * @param vsock a vsock device, if vAccel over vsock was asked for
 * @param hostname the guest hostname
 * @param debug extra guest diagnostics (e.g. no "quiet", init timestamps)
 * @param solo5Devices the Solo5 manifest device names the image asked for (Solo5 tenders only)
 * @param shares directories shared with the guest over virtio-9p (bind mounts, a shared rootfs)
 */
public record VmSpec(
        String containerId,
        GuestType guest,
        MonitorType monitor,
        Path monitorBinary,
        Path kernel,
        Optional<Path> initrd,
        List<BlockDevice> blocks,
        long memoryBytes,
        int vcpus,
        List<String> args,
        List<String> env,
        Optional<GuestNet> net,
        Optional<String> unikernelVersion,
        Path workDir,
        boolean seccomp,
        Accel accel,
        KernelProfile kernelProfile,
        Optional<Vsock> vsock,
        String hostname,
        boolean debug,
        Solo5DeviceNames solo5Devices,
        List<SharedDir> shares) {
    public VmSpec {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(guest, "guest");
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(monitorBinary, "monitorBinary");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(accel, "accel");
        Objects.requireNonNull(kernelProfile, "kernelProfile");
        initrd = initrd == null ? Optional.empty() : initrd;
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
        net = net == null ? Optional.empty() : net;
        unikernelVersion = unikernelVersion == null ? Optional.empty() : unikernelVersion;
        vsock = vsock == null ? Optional.empty() : vsock;
        solo5Devices = solo5Devices == null ? Solo5DeviceNames.DEFAULTS : solo5Devices;
        shares = shares == null ? List.of() : List.copyOf(shares);
        hostname = hostname == null || hostname.isBlank() ? containerId : hostname;
        if (memoryBytes <= 0) throw new IllegalArgumentException("memoryBytes must be positive");
        if (vcpus <= 0) throw new IllegalArgumentException("vcpus must be positive");
    }
}
