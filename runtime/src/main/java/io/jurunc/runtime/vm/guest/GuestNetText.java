package io.jurunc.runtime.vm.guest;

import io.jurunc.runtime.vm.GuestNet;
import java.util.List;

/** Small text helpers shared by the guest command lines. */
final class GuestNetText {
    private GuestNetText() {}

    /** "10.0.0.2/24". */
    static String cidr(GuestNet net) {
        return net.ip().getHostAddress() + "/" + net.prefixLength();
    }

    static String ip(GuestNet net) {
        return net.ip().getHostAddress();
    }

    /** The application argv joined with single spaces. */
    static String joined(List<String> args) {
        return String.join(" ", args);
    }
}
