package io.jurunc.runtime.vm.guest;

import io.jurunc.runtime.vm.BlockDevice;
import io.jurunc.runtime.vm.GuestNet;
import io.jurunc.runtime.vm.GuestSetupException;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.KernelProfile;
import io.jurunc.runtime.vm.MemoryUnits;
import io.jurunc.runtime.vm.QemuMachine;
import io.jurunc.runtime.vm.VmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A Linux microVM whose init is jurunc's guest init ({@value #INIT}).
 *
 * <p>Command line, initramfs rootfs: {@code console=ttyS0 panic=-1 reboot=t quiet [pci=off]
 * rdinit=/jurunc/init [ip=<IP>::<GW>:<NETMASK>:<hostname>:eth0:off]}; the application's args and
 * env travel inside the initramfs ({@code /jurunc/process}), not on the command line. {@code
 * pci=off} on monitors without a PCI bus ({@link #noPciBus}); QEMU appends {@link
 * #qemuTcgKernelParams} under TCG.
 *
 * <p>Block rootfs ({@code root=/dev/vda rw init=/jurunc/init}): the image's disk carries no
 * process file we wrote, so args and env follow urunc's Linux format: env words {@code K=V} (a
 * value with blanks as {@code K="v w"}, which the kernel unquotes) and then {@code -- args}, with
 * blank-containing args wrapped in single quotes for the init to reassemble.
 *
 * <p>{@code spec.debug()} drops {@code quiet} and adds {@code jurunc.debug=1}. On QEMU a {@link
 * KernelProfile#MICROVM} kernel boots on {@code -M microvm,x-option-roms=off,acpi=off} with
 * virtio-mmio devices; a {@link KernelProfile#STANDARD} one on {@code -M pc} with virtio-pci and a
 * NIC without PXE ROM ({@code romfile=}), as the guest kit boots them (docs/guest.md).
 */
public final class LinuxGuest implements GuestType {
    /** Linux kernel plus a small userland, before the initramfs is counted. */
    public static final long MIN_BYTES = 64 * MemoryUnits.MIB;

    public static final String INIT = "/jurunc/init";

    /** x86's COMMAND_LINE_SIZE, including the terminating NUL. */
    public static final int MAX_CMDLINE = 2048;

    /** Linux's __NEW_UTS_LEN: the ip= hostname is cut to this length. */
    static final int MAX_HOSTNAME = 64;

    /**
     * The {@code -M} value for a MICROVM kernel. {@code acpi=off}: the project kernel has no ACPI, so
     * QEMU announces the virtio-mmio devices on the command line ({@code virtio_mmio.device=}).
     */
    public static final String MICROVM_MACHINE = "microvm,x-option-roms=off,acpi=off";

    /** Where the root filesystem comes from. */
    public enum Rootfs {
        INITRAMFS,
        BLOCK;

        /** initrd first (urunc's ChooseRootfs order), then the first block device. */
        public static Rootfs of(VmSpec spec) throws GuestSetupException {
            if (spec.initrd().isPresent()) {
                return INITRAMFS;
            }
            if (!spec.blocks().isEmpty()) {
                return BLOCK;
            }
            throw new GuestSetupException(
                    "a linux guest needs a root filesystem: give it an initrd (com.urunc.unikernel.initrd, "
                            + "or the rootfs packed as an initramfs) or a block device "
                            + "(com.urunc.unikernel.block)");
        }
    }

    @Override
    public String key() {
        return "linux";
    }

    /**
     * 64 MiB plus three times the initramfs size: the kernel keeps the archive while it unpacks it,
     * and unpacks it into a tmpfs that may fill only half of RAM (with twice the size, a 300 MB rootfs
     * failed with "Initramfs unpacking failed: write error"). 0 for a block rootfs.
     */
    @Override
    public long minimumBytes(long initrdBytes) {
        return MIN_BYTES + 3 * Math.max(0, initrdBytes);
    }

    @Override
    public Set<String> monitors() {
        return Set.of("qemu", "firecracker", "cloud-hypervisor");
    }

    @Override
    public boolean runsJuruncInit() {
        return true;
    }

    @Override
    public boolean supportsBlock() {
        return true;
    }

    @Override
    public boolean mountsShares() {
        return true;
    }

    @Override
    public String cmdline(VmSpec spec) throws GuestSetupException {
        Rootfs rootfs = Rootfs.of(spec);
        List<String> words = new ArrayList<>(List.of("console=ttyS0", "panic=-1", "reboot=t"));
        if (!spec.debug()) {
            words.add("quiet");
        }
        if (noPciBus(spec)) {
            words.add("pci=off");
        }
        if (rootfs == Rootfs.INITRAMFS) {
            words.add("rdinit=" + INIT);
        } else {
            words.addAll(List.of("root=/dev/vda", "rw", "init=" + INIT));
        }
        if (spec.debug()) {
            words.add("jurunc.debug=1");
        }
        spec.net().ifPresent(net -> words.add(ipParam(net, spec.hostname())));
        if (rootfs == Rootfs.BLOCK) {
            for (String env : spec.env()) {
                words.add(envWord(env));
            }
            if (!spec.args().isEmpty()) {
                words.add("--");
                for (String arg : spec.args()) {
                    words.add(argWord(arg));
                }
            }
        }
        String cmdline = String.join(" ", words);
        if (cmdline.length() >= MAX_CMDLINE) {
            throw new GuestSetupException("the linux kernel command line is "
                    + cmdline.length()
                    + " bytes, over the kernel's limit of "
                    + (MAX_CMDLINE - 1)
                    + "; with a block rootfs env and args travel on the command line, so shorten them "
                    + "or use an initramfs rootfs");
        }
        return cmdline;
    }

    /**
     * Without a PCI bus (QEMU's microvm, Firecracker: {@code MonitorType.pciBus})
     * {@code pci=off} keeps the kernel from probing for one (and from printing "PCI: Fatal: No config
     * space access function found" into the app's console). Cloud Hypervisor's virtio devices are
     * PCI, so it never gets it.
     */
    static boolean noPciBus(VmSpec spec) {
        return !spec.monitor().pciBus(spec);
    }

    /**
     * Under TCG, a 1-vCPU MICROVM kernel skips the local APIC timer calibration ({@code
     * noapictimer}) and, with the host's TSC frequency, the TSC calibration ({@code
     * tsc_early_khz=<kHz> tsc=reliable}); see docs/guest.md. Nothing for STANDARD kernels or SMP.
     */
    @Override
    public List<String> qemuTcgKernelParams(VmSpec spec, Long hostTscKhz) {
        if (spec.kernelProfile() != KernelProfile.MICROVM || spec.vcpus() != 1) {
            return List.of();
        }
        if (hostTscKhz == null) {
            return List.of("noapictimer");
        }
        return List.of("noapictimer", "tsc_early_khz=" + hostTscKhz, "tsc=reliable");
    }

    /** {@code ip=<IP>::<GW>:<NETMASK>:<hostname>:eth0:off}. */
    static String ipParam(GuestNet net, String hostname) {
        String host = hostname.length() > MAX_HOSTNAME ? hostname.substring(0, MAX_HOSTNAME) : hostname;
        return "ip=" + GuestNetText.ip(net) + "::" + net.gatewayText() + ":" + net.netmask() + ":" + host + ":eth0:off";
    }

    static String envWord(String env) throws GuestSetupException {
        int eq = env.indexOf('=');
        if (eq <= 0 || env.indexOf('"') >= 0 || env.indexOf('\n') >= 0) {
            throw new GuestSetupException("environment entry '"
                    + env
                    + "' cannot be put on a linux kernel command line (it needs NAME=value without "
                    + "double quotes or newlines); use an initramfs rootfs to pass it");
        }
        String value = env.substring(eq + 1);
        if (value.chars().anyMatch(Character::isWhitespace)) {
            return env.substring(0, eq) + "=\"" + value + "\"";
        }
        return env;
    }

    static String argWord(String arg) throws GuestSetupException {
        if (arg.indexOf('\'') >= 0 || arg.indexOf('\n') >= 0) {
            throw new GuestSetupException("argument '"
                    + arg
                    + "' cannot be put on a linux kernel command line (single quotes and newlines "
                    + "cannot be represented); use an initramfs rootfs to pass it");
        }
        if (arg.isEmpty() || arg.chars().anyMatch(Character::isWhitespace)) {
            return "'" + arg + "'";
        }
        return arg;
    }

    /**
     * The descriptor, in QEMU's process, of its end of the socket pair the sandbox init reads the
     * guest's exit status from (runtime/src/main/c/sandbox.c, {@code exitfd=} in the launch file).
     */
    public static final int EXIT_PORT_FD = 3;

    /** The virtio-serial port our init writes the application's exit status to (one byte, 0..255). */
    public static final String EXIT_PORT = "io.jurunc.exit";

    /**
     * On QEMU: one virtio-serial device for the guest's ports; the exit port's chardev is QEMU's end
     * of a socket pair at {@link #EXIT_PORT_FD}, made by the sandbox init (docs/guest.md).
     */
    @Override
    public List<String> qemuExtraArgs(VmSpec spec) {
        return List.of(
                "-chardev",
                "socket,id=jexit,fd=" + EXIT_PORT_FD,
                "-device",
                qemuMachine(spec).virtio("serial"),
                "-device",
                "virtserialport,chardev=jexit,name=" + EXIT_PORT);
    }

    /**
     * Whether the guest reports its exit status on {@link #EXIT_PORT}: it runs jurunc's init on a
     * monitor with virtio-serial ports (QEMU).
     */
    public static boolean reportsExit(VmSpec spec) {
        return spec.guest().runsJuruncInit() && spec.monitor().hasVirtioSerial();
    }

    @Override
    public QemuMachine qemuMachine(VmSpec spec) {
        return spec.kernelProfile() == KernelProfile.MICROVM
                ? new QemuMachine(MICROVM_MACHINE, true)
                : new QemuMachine("pc", false, true);
    }

    @Override
    public String firecrackerDriveId(BlockDevice device) {
        return "FC" + device.id();
    }
}
