package io.jurunc.e2e.unikernel;

import io.jurunc.e2e.support.UnikernelImage;

/**
 * The unikernel test images, each around a real binary from {@code ../shared/unikernels/bin}, written as a
 * user would write them for bima (Containerfile with urunc labels) or bunny (bunnyfile).
 */
public final class UnikernelImages {
    /** Solo5's test_net answers ICMP echo only at this built-in address. */
    public static final String SOLO5_NET_PREFIX = "10.0.0.";

    public static final String SOLO5_NET_IP = SOLO5_NET_PREFIX + "2";
    public static final int HTTPREPLY_PORT = 8123;

    private UnikernelImages() {}

    /**
     * Unikraft httpreply (lwip, virtio-net; answers any GET on port 8123 with "It works!").
     *
     * @param binaryVersion 0.16.0 or 0.16.3 (which shared binary)
     * @param versionLabel  the {@code unikernelVersion} label, or null for none
     */
    public static UnikernelImage httpreply(String name, String binaryVersion, String versionLabel) {
        return UnikernelImage.containerfile(name, """
                # Unikraft httpreply %s (urunc's demo HTTP service): port 8123
                FROM scratch
                COPY httpreply /unikernel/httpreply
                LABEL com.urunc.unikernel.binary=/unikernel/httpreply
                LABEL com.urunc.unikernel.unikernelType=unikraft
                LABEL com.urunc.unikernel.hypervisor=qemu
                %s
                CMD ["httpreply"]
                """.formatted(
                        binaryVersion,
                        versionLabel == null ? "" : "LABEL com.urunc.unikernel.unikernelVersion=" + versionLabel))
                .with("httpreply", "httpreply_qemu-x86_64.uk" + binaryVersion);
    }

    /** Unikraft 0.17 helloworld, built from a bunnyfile: prints "Hello world!" and its arguments. */
    public static UnikernelImage helloworldBunny(String name) {
        return UnikernelImage.bunnyfile(name, """
                #syntax=harbor.nbfc.io/nubificus/bunny:latest
                version: v0.1
                platforms:
                  framework: unikraft
                  version: 0.17.0
                  monitor: qemu
                  architecture: x86
                kernel:
                  from: local
                  path: helloworld
                cmd: ["hello", "from", "a", "bunnyfile"]
                """).with("helloworld", "helloworld_qemu-x86_64.uk0.17-eaf6fda1");
    }

    /**
     * A Solo5 test unikernel as a MirageOS or Rumprun guest.
     *
     * @param test    test_hello, test_net or test_blk
     * @param target  spt (monitor solo5-spt) or virtio (monitor QEMU)
     * @param guest   mirage or rumprun
     * @param cmd     the image's CMD words
     */
    public static UnikernelImage solo5(String name, String test, String target, String guest, String... cmd) {
        String monitor = target.equals("virtio") ? "qemu" : target;
        StringBuilder labels = new StringBuilder();
        if (test.equals("test_net")) {
            labels.append("LABEL com.urunc.unikernel.solo5NetDev=service0\n"); // its manifest's name
        }
        boolean block = test.equals("test_blk");
        if (block) {
            labels.append("LABEL com.urunc.unikernel.block=/disk.img\n");
            if (guest.equals("rumprun")) {
                labels.append("LABEL com.urunc.unikernel.solo5BlkDev=storage\n");
            }
        }
        UnikernelImage image = UnikernelImage.containerfile(name, """
                # Solo5 %s (%s) as a %s guest on %s
                FROM scratch
                COPY %s /unikernel/%s
                %sLABEL com.urunc.unikernel.binary=/unikernel/%s
                LABEL com.urunc.unikernel.unikernelType=%s
                LABEL com.urunc.unikernel.hypervisor=%s
                %s
                """.formatted(
                                test,
                                target,
                                guest,
                                monitor,
                                test,
                                test,
                                block ? "COPY disk.img /disk.img\n" : "",
                                test,
                                guest,
                                monitor,
                                labels + cmd(cmd)))
                .with(test, test + "." + target);
        return block ? image.withZeroes("disk.img", 4L << 20) : image;
    }

    private static String cmd(String... words) {
        if (words.length == 0) {
            return "";
        }
        StringBuilder b = new StringBuilder("CMD [");
        for (int i = 0; i < words.length; i++) {
            b.append(i == 0 ? "" : ", ").append('"').append(words[i]).append('"');
        }
        return b.append("]").toString();
    }
}
