package io.jurunc.urunc;

import java.util.List;

/** The {@code com.urunc.unikernel.*} keys, as urunc and bima/bunny write them. */
public final class UruncKeys {
    private UruncKeys() {}

    public static final String PREFIX = "com.urunc.unikernel.";
    public static final String TYPE = PREFIX + "unikernelType";
    public static final String HYPERVISOR = PREFIX + "hypervisor";
    public static final String BINARY = PREFIX + "binary";
    public static final String CMDLINE = PREFIX + "cmdline";
    public static final String VERSION = PREFIX + "unikernelVersion";
    public static final String INITRD = PREFIX + "initrd";
    public static final String BLOCK = PREFIX + "block";
    public static final String BLK_MNT_POINT = PREFIX + "blkMntPoint";
    public static final String USE_DM_BLOCK = PREFIX + "useDMBlock";
    public static final String MOUNT_ROOTFS = PREFIX + "mountRootfs";
    public static final String VACCEL = PREFIX + "vAccel";
    public static final String RPC_ADDRESS = PREFIX + "RPCAddress";
    /** Solo5 tenders: the manifest name of the network device (urunc's default: the guest's own). */
    public static final String SOLO5_NET_DEV = PREFIX + "solo5NetDev";
    /** Solo5 tenders: the manifest name of the first block device. */
    public static final String SOLO5_BLK_DEV = PREFIX + "solo5BlkDev";

    /** Keys read from urunc.json or the spec; vAccel keys always come from the spec. */
    public static final List<String> KNOWN = List.of(
            TYPE,
            HYPERVISOR,
            BINARY,
            CMDLINE,
            VERSION,
            INITRD,
            BLOCK,
            BLK_MNT_POINT,
            USE_DM_BLOCK,
            MOUNT_ROOTFS,
            VACCEL,
            RPC_ADDRESS,
            SOLO5_NET_DEV,
            SOLO5_BLK_DEV);

    /** The file at the top of the rootfs that carries the keys with base64 values. */
    public static final String URUNC_JSON = "urunc.json";
}
