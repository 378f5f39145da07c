package io.jurunc.runtime.vm.guest;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.jurunc.runtime.vm.BlockDevice;
import io.jurunc.runtime.vm.GuestResources;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.VmSpec;
import java.util.Optional;
import java.util.Set;

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
public final class RumprunGuest implements GuestType {
    @Override
    public String key() {
        return "rumprun";
    }

    @Override
    public long minimumBytes(long initrdBytes) {
        return GuestResources.UNIKERNEL_MIN_BYTES;
    }

    @Override
    public Set<String> monitors() {
        return Set.of("qemu", "hvt", "spt");
    }

    @Override
    public boolean supportsBlock() {
        return true;
    }

    @Override
    public String cmdline(VmSpec spec) {
        StringBuilder b = new StringBuilder("{");
        member(b, "cmdline", GuestNetText.joined(spec.args()));
        for (String env : spec.env()) {
            b.append(',');
            member(b, "env", env);
        }
        spec.net().ifPresent(net -> {
            b.append(",\"net\":{");
            member(b, "if", "ukvmif0");
            b.append(',');
            member(b, "cloner", "True");
            b.append(',');
            member(b, "type", "inet");
            b.append(',');
            member(b, "method", "static");
            b.append(',');
            member(b, "addr", GuestNetText.ip(net));
            b.append(',');
            member(b, "mask", "1");
            b.append(',');
            member(b, "gw", net.gatewayText());
            b.append('}');
        });
        if (!spec.blocks().isEmpty()) {
            BlockDevice root = spec.blocks().getFirst();
            String mountPoint =
                    root.guestMountPoint() == null || root.guestMountPoint().isBlank()
                            ? "/data"
                            : root.guestMountPoint();
            b.append(",\"blk\":{");
            member(b, "source", "etfs");
            b.append(',');
            member(b, "path", "/dev/ld0a");
            b.append(',');
            member(b, "fstype", "blk");
            b.append(',');
            member(b, "mountpoint", mountPoint);
            b.append('}');
        }
        return b.append('}').toString();
    }

    private static void member(StringBuilder b, String key, String value) {
        b.append('"').append(key).append("\":\"");
        b.append(JsonStringEncoder.getInstance().quoteAsString(value));
        b.append('"');
    }

    @Override
    public String solo5NetName() {
        return "tap";
    }

    @Override
    public Optional<String> solo5BlockName() {
        return Optional.of("rootfs");
    }
}
