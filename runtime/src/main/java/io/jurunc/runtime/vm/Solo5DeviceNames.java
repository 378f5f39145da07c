package io.jurunc.runtime.vm;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Solo5 manifest names an image asks for ({@code com.urunc.unikernel.solo5NetDev} and {@code
 * solo5BlkDev}); empty means the guest type's default ({@code service}/{@code storage} for MirageOS,
 * {@code tap}/{@code rootfs} for Rumprun). A Solo5 tender refuses to start a unikernel whose manifest
 * device is not attached under its exact name (Solo5's {@code test_net} declares {@code service0}).
 */
public record Solo5DeviceNames(Optional<String> net, Optional<String> block) {
    /** Solo5's manifest names: what its tenders' {@code --net:NAME=} parser accepts (urunc's rule). */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9]{1,67}");

    public static final Solo5DeviceNames DEFAULTS = new Solo5DeviceNames(Optional.empty(), Optional.empty());

    public Solo5DeviceNames {
        net = net == null ? Optional.empty() : net;
        block = block == null ? Optional.empty() : block;
        net.ifPresent(Solo5DeviceNames::check);
        block.ifPresent(Solo5DeviceNames::check);
    }

    private static void check(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a Solo5 device name (" + NAME.pattern() + ")");
        }
    }
}
