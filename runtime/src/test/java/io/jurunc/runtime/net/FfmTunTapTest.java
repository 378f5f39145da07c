package io.jurunc.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.libc.Errno;
import io.jurunc.runtime.sys.RecordingSyscalls;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ioctl sequence of tap creation, against a recording fake of the system calls. */
class FfmTunTapTest {
    private static final NetnsRef NS = NetnsRef.of("/var/run/netns/cni-1");
    // "jrtap0123456789" NUL-padded to 16 bytes, flags 0xf002 little-endian, zero up to 40 bytes
    private static final String IFREQ =
            HexFormat.of().formatHex("jrtap0123456789".getBytes()) + "00" + "02f0" + "00".repeat(22);

    @Test
    void createsAPersistentTapInsideTheNamespace() throws Exception {
        RecordingSyscalls sys = new RecordingSyscalls();

        new FfmTunTap(sys).createTap(NS, "jrtap0123456789", Optional.of(new TapOwner(1000, 1001)));

        assertThat(sys.texts())
                .containsExactly(
                        "open /var/run/netns/cni-1 0x80000",
                        "setns 3 0x40000000",
                        "close 3",
                        "open /dev/net/tun 0x80002",
                        "ioctl 4 0x400454ca " + IFREQ,
                        "ioctl 4 0x400454cb 1",
                        "ioctl 4 0x400454cc 1000",
                        "ioctl 4 0x400454ce 1001",
                        "close 4");
        assertThat(sys.calls()).allSatisfy(c -> assertThat(c.thread()).isNotSameAs(Thread.currentThread()));
    }

    @Test
    void withoutOwnerNoOwnershipIoctls() throws Exception {
        RecordingSyscalls sys = new RecordingSyscalls();

        new FfmTunTap(sys).createTap(NS, "jrtap0123456789", Optional.empty());

        assertThat(sys.texts())
                .noneMatch(t -> t.startsWith("ioctl 4 0x400454cc"))
                .noneMatch(t -> t.startsWith("ioctl 4 0x400454ce"))
                .endsWith("ioctl 4 0x400454cb 1", "close 4");
    }

    @Test
    void theFlagsAreTapNoPiVnetHdrOneQueueAndExclusive() {
        byte[] ifreq = FfmTunTap.ifreq("tap0", (short) (FfmTunTap.IFF_TAP
                | FfmTunTap.IFF_NO_PI
                | FfmTunTap.IFF_VNET_HDR
                | FfmTunTap.IFF_ONE_QUEUE
                | FfmTunTap.IFF_TUN_EXCL));

        assertThat(ifreq).hasSize(40);
        assertThat(ifreq[16] & 0xff | (ifreq[17] & 0xff) << 8).isEqualTo(0xf002);
    }

    @Test
    void aFailureAfterPersistUndoesPersistSoTheTapVanishesWithTheDescriptor() {
        RecordingSyscalls sys = new RecordingSyscalls().failOn("ioctl 4 0x400454cc", Errno.EPERM);

        assertThatThrownBy(() -> new FfmTunTap(sys).createTap(NS, "jrtap0123456789", Optional.of(new TapOwner(1, 1))))
                .isInstanceOf(NetOperationException.class)
                .hasMessageContaining("jrtap0123456789")
                .hasMessageContaining("EPERM");
        assertThat(sys.texts()).endsWith("ioctl 4 0x400454cc 1", "ioctl 4 0x400454cb 0", "close 4");
    }

    @Test
    void anExistingNameIsReportedAsSuch() {
        RecordingSyscalls sys = new RecordingSyscalls().failOn("ioctl 4 0x400454ca", Errno.EBUSY);

        assertThatThrownBy(() -> new FfmTunTap(sys).createTap(NS, "jrtap0123456789", Optional.empty()))
                .isInstanceOf(NetOperationException.class)
                .hasMessageContaining("already exists");
        assertThat(sys.texts()).endsWith("close 4").doesNotContain("ioctl 4 0x400454cb 1");
    }

    @Test
    void aMissingNamespaceIsGone() {
        RecordingSyscalls sys = new RecordingSyscalls().failOn("open /var/run", Errno.ENOENT);

        assertThatThrownBy(() -> new FfmTunTap(sys).createTap(NS, "jrtap0123456789", Optional.empty()))
                .isInstanceOfSatisfying(
                        NetOperationException.class,
                        e -> assertThat(e.netnsGone()).isTrue());
    }

    @Test
    void badNamesAreRejectedBeforeAnySyscall() {
        RecordingSyscalls sys = new RecordingSyscalls();

        for (String bad : new String[] {"", "sixteen-chars-xx", "a/b", "a b"}) {
            assertThatThrownBy(() -> new FfmTunTap(sys).createTap(NS, bad, Optional.empty()))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(sys.calls()).isEmpty();
    }
}
