package io.jurunc.runtime.metadata;

import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.Solo5DeviceNames;
import java.util.Map;
import java.util.Optional;

/**
 * Validated unikernel metadata of a bundle.
 *
 * @param source where the keys came from ("annotations" or "urunc.json")
 * @param raw the decoded key/value map, persisted into the state for later commands
 */
public record UnikernelMetadata(
        GuestType guest,
        MonitorType monitor,
        Optional<GuestPath> binary,
        Optional<GuestPath> initrd,
        Optional<GuestPath> block,
        Optional<String> blockMountPoint,
        Optional<String> cmdline,
        Optional<String> version,
        boolean mountRootfs,
        Optional<String> vaccel,
        Optional<String> rpcAddress,
        Solo5DeviceNames solo5Devices,
        String source,
        Map<String, String> raw) {
    public UnikernelMetadata {
        raw = Map.copyOf(raw);
    }
}
