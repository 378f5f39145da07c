package io.jurunc.runtime.vm.guest;

import io.jurunc.runtime.vm.GuestResources;
import io.jurunc.runtime.vm.GuestType;
import java.util.Optional;
import java.util.Set;

/**
 * A unikernel built for Solo5 (MirageOS, Rumprun): it runs on Solo5's hvt and spt tenders and on
 * QEMU (Solo5's virtio target), uses block devices, needs the unikernels' minimum memory, and names
 * its network and first block device in its Solo5 manifest.
 */
abstract sealed class Solo5Unikernel implements GuestType permits MirageGuest, RumprunGuest {
    private final String key;
    private final String netName;
    private final String blockName;

    Solo5Unikernel(String key, String netName, String blockName) {
        this.key = key;
        this.netName = netName;
        this.blockName = blockName;
    }

    @Override
    public final String key() {
        return key;
    }

    @Override
    public final long minimumBytes(long initrdBytes) {
        return GuestResources.UNIKERNEL_MIN_BYTES;
    }

    @Override
    public final Set<String> monitors() {
        return Set.of("qemu", "hvt", "spt");
    }

    @Override
    public final boolean supportsBlock() {
        return true;
    }

    @Override
    public final String solo5NetName() {
        return netName;
    }

    @Override
    public final Optional<String> solo5BlockName() {
        return Optional.of(blockName);
    }
}
