package io.jurunc.builder.urunc;

/** The {@code com.urunc.unikernel.*} metadata keys that urunc (and jurunc) read. */
public final class UruncKeys {
    public static final String PREFIX = "com.urunc.unikernel.";
    public static final String TYPE = PREFIX + "unikernelType";
    public static final String HYPERVISOR = PREFIX + "hypervisor";
    public static final String BINARY = PREFIX + "binary";
    public static final String CMDLINE = PREFIX + "cmdline";
    public static final String VERSION = PREFIX + "unikernelVersion";
    public static final String INITRD = PREFIX + "initrd";
    public static final String BLOCK = PREFIX + "block";
    public static final String BLK_MNT_POINT = PREFIX + "blkMntPoint";
    public static final String MOUNT_ROOTFS = PREFIX + "mountRootfs";
    public static final String USE_DM_BLOCK = PREFIX + "useDMBlock";

    private UruncKeys() {}
}
