package io.jurunc.runtime.vm.guest;

import io.jurunc.runtime.vm.BlockDevice;
import io.jurunc.runtime.vm.GuestNet;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.VmSpec;
import java.util.List;
import java.util.Optional;

/**
 * Solo5 tender device options. A guest names its network and first block device (rumprun: {@code
 * tap}/{@code rootfs}, mirage: {@code service}/{@code storage}); further block devices use their
 * ids; the image may rename the first two ({@code solo5NetDev}/{@code solo5BlkDev}, {@link
 * io.jurunc.runtime.vm.Solo5DeviceNames}). Only hvt and spt take these; other monitors get nothing
 * (their defaults apply).
 */
final class Solo5Devices {
    private Solo5Devices() {}

    static Optional<List<String>> net(MonitorType monitor, VmSpec spec, String defaultName, GuestNet net) {
        if (!isSolo5(monitor)) {
            return Optional.empty();
        }
        String name = spec.solo5Devices().net().orElse(defaultName);
        return Optional.of(List.of("--net:" + name + "=" + net.tapName(), "--net-mac:" + name + "=" + net.mac()));
    }

    static Optional<List<String>> block(
            MonitorType monitor, VmSpec spec, String defaultFirstName, BlockDevice device, int index) {
        if (!isSolo5(monitor)) {
            return Optional.empty();
        }
        String name = index == 0 ? spec.solo5Devices().block().orElse(defaultFirstName) : device.id();
        return Optional.of(List.of("--block:" + name + "=" + device.hostPath()));
    }

    static boolean isSolo5(MonitorType monitor) {
        return monitor == MonitorType.HVT || monitor == MonitorType.SPT;
    }
}
