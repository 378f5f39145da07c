package io.jurunc.runtime.vm.guest;

import static java.util.Map.entry;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.jurunc.runtime.vm.BlockDevice;
import io.jurunc.runtime.vm.VmSpec;
import java.util.Map;

/**
 * Rumprun (on Solo5 hvt/spt). The command line is rumprun's JSON configuration, assembled by hand
 * as urunc does so that each env var can be a repeated {@code "env"} member (not valid JSON, but
 * what rumprun's parser accepts):
 *
 * <pre>{"cmdline":"<args>","env":"K=V",...,
 *  "net":{"if":"ukvmif0","cloner":"True","type":"inet","method":"static","addr":"<IP>","mask":"1","gw":"<GW>"},
 *  "blk":{"source":"etfs","path":"/dev/ld0a","fstype":"blk","mountpoint":"/data"}}</pre>
 *
 * The mask is deliberately {@code "1"} (a /1) so NetBSD accepts a gateway outside the real subnet.
 * {@code net} appears only with a network, {@code blk} only with a block device (mount point:
 * the device's guest mount point, else {@code /data}). Solo5 devices are named {@code tap} and
 * {@code rootfs}.
 */
public final class RumprunGuest extends Solo5Unikernel {
    public RumprunGuest() {
        super("rumprun", "tap", "rootfs");
    }

    @Override
    public String cmdline(VmSpec spec) {
        StringBuilder b = new StringBuilder("{");
        member(b, "cmdline", GuestNetText.joined(spec.args()));
        for (String env : spec.env()) {
            b.append(',');
            member(b, "env", env);
        }
        spec.net()
                .ifPresent(net -> object(
                        b,
                        "net",
                        entry("if", "ukvmif0"),
                        entry("cloner", "True"),
                        entry("type", "inet"),
                        entry("method", "static"),
                        entry("addr", GuestNetText.ip(net)),
                        entry("mask", "1"),
                        entry("gw", net.gatewayText())));
        if (!spec.blocks().isEmpty()) {
            BlockDevice root = spec.blocks().getFirst();
            String mountPoint =
                    root.guestMountPoint() == null || root.guestMountPoint().isBlank()
                            ? "/data"
                            : root.guestMountPoint();
            object(
                    b,
                    "blk",
                    entry("source", "etfs"),
                    entry("path", "/dev/ld0a"),
                    entry("fstype", "blk"),
                    entry("mountpoint", mountPoint));
        }
        return b.append('}').toString();
    }

    /** {@code ,"name":{"k":"v",...}}, the members in order. */
    @SafeVarargs
    private static void object(StringBuilder b, String name, Map.Entry<String, String>... members) {
        b.append(",\"").append(name).append("\":{");
        for (int i = 0; i < members.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            member(b, members[i].getKey(), members[i].getValue());
        }
        b.append('}');
    }

    private static void member(StringBuilder b, String key, String value) {
        b.append('"').append(key).append("\":\"");
        b.append(JsonStringEncoder.getInstance().quoteAsString(value));
        b.append('"');
    }
}
