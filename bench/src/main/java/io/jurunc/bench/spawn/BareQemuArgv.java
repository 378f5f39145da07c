package io.jurunc.bench.spawn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The bare-QEMU subject's command line, made from the monitor argv jurunc recorded for a running
 * container ({@code <root>/<id>/jurunc.json}, {@code monitorArgv}): the same QEMU binary, options,
 * kernel and initramfs, with only what ties it to that container changed:
 * <ul>
 *   <li>the kernel and initrd files are copied (jurunc deletes the initramfs with the container);
 *   <li>the tap is the benchmark's ({@code ifname=}) and the guest's {@code ip=} points at its netns;
 *   <li>{@code jurunc.timestamps=1} is added, so that the init prints its start uptime;
 *   <li>the QMP socket moves next to the copied kernel (the state dir goes with the container), and a
 *       shared rootfs ({@code -fsdev ...,path=/jurunc/shares/rootfs}, the path inside the confined
 *       monitor's root) is served from a copy of the container's rootfs there.
 * </ul>
 *
 * <pre>java -cp ... io.jurunc.bench.spawn.BareQemuArgv --state F --copy-to DIR --tap T --ip IP --gateway GW</pre>
 * prints the argv, one element per line.
 */
public final class BareQemuArgv {
    private BareQemuArgv() {}

    /** Where a shared rootfs is in the confined monitor's root. */
    static final String SHARED_ROOTFS = "/jurunc/shares/rootfs";

    /** The new argv; {@code kernel}/{@code initrd} replace the paths after -kernel/-initrd. */
    public static List<String> rewrite(
            List<String> argv, String tap, String ip, String gateway, Path kernel, Path initrd)
            throws BenchInputException {
        if (argv.isEmpty() || !argv.getFirst().contains("qemu-system")) {
            throw new BenchInputException("the recorded monitor argv is not a QEMU command line: " + argv);
        }
        List<String> out = new ArrayList<>(argv);
        boolean appended = false;
        for (int i = 1; i < out.size(); i++) {
            String prev = out.get(i - 1);
            String a = out.get(i);
            switch (prev) {
                case "-kernel" -> out.set(i, kernel.toString());
                case "-initrd" -> out.set(i, initrd.toString());
                case "-netdev" -> out.set(i, a.replaceAll("ifname=[^,]*", "ifname=" + tap));
                case "-qmp" -> out.set(i, "unix:" + kernel.resolveSibling("qmp.sock") + ",server=on,wait=off");
                case "-chardev" -> out.set(i, chardev(a, kernel));
                case "-fsdev" -> {
                    if (!a.contains("path=" + SHARED_ROOTFS + ",")) {
                        throw new BenchInputException("the bare subject serves only a shared rootfs, not " + a);
                    }
                    out.set(
                            i,
                            a.replace("path=" + SHARED_ROOTFS + ",", "path=" + kernel.resolveSibling("rootfs") + ","));
                }
                case "-append" -> {
                    List<String> words = new ArrayList<>();
                    for (String w : a.split(" ")) {
                        words.add(
                                w.startsWith("ip=")
                                        ? "ip=" + ip + "::" + gateway + ":255.255.255.0:bench-qemu:eth0:off"
                                        : w);
                    }
                    words.add("jurunc.timestamps=1");
                    out.set(i, String.join(" ", words));
                    appended = true;
                }
                default -> {}
            }
        }
        if (!appended) {
            throw new BenchInputException("the recorded QEMU argv has no -append kernel command line");
        }
        return List.copyOf(out);
    }

    /**
     * A character device of the confined monitor, for the bare one: the exit port's socket (fd 3, passed
     * by jurunc's sandbox init) becomes a file that takes the guest's status byte; a socket path (exec
     * ports) moves next to the copied kernel.
     */
    static String chardev(String a, Path kernel) {
        if (a.startsWith("socket,") && a.matches(".*,fd=\\d+(,.*)?")) {
            String id = a.replaceAll(".*,id=([^,]*).*", "$1");
            return "file,id=" + id + ",path=" + kernel.resolveSibling(id + ".out");
        }
        if (a.startsWith("socket,") && a.contains(",path=")) {
            String id = a.replaceAll(".*,id=([^,]*).*", "$1");
            return a.replaceAll(",path=[^,]*", ",path=" + kernel.resolveSibling(id + ".sock"));
        }
        return a;
    }

    static String flagValue(List<String> argv, String flag) throws BenchInputException {
        int i = argv.indexOf(flag);
        if (i < 0 || i + 1 >= argv.size()) {
            throw new BenchInputException("the recorded QEMU argv has no " + flag);
        }
        return argv.get(i + 1);
    }

    public static void main(String[] args) throws Exception {
        Path state = null;
        Path dir = null;
        String tap = null;
        String ip = null;
        String gw = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--state" -> state = Path.of(args[i + 1]);
                case "--copy-to" -> dir = Path.of(args[i + 1]);
                case "--tap" -> tap = args[i + 1];
                case "--ip" -> ip = args[i + 1];
                case "--gateway" -> gw = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (state == null || dir == null || tap == null || ip == null || gw == null) {
            System.err.println("usage: BareQemuArgv --state jurunc.json --copy-to DIR --tap T --ip IP --gateway GW");
            System.exit(2);
        }
        JsonNode argvNode = new ObjectMapper().readTree(state.toFile()).path("monitorArgv");
        List<String> argv = new ArrayList<>();
        argvNode.forEach(n -> argv.add(n.asText()));
        Path kernel = dir.resolve("kernel");
        Path initrd = dir.resolve("initrd");
        Files.copy(Path.of(flagValue(argv, "-kernel")), kernel, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Path.of(flagValue(argv, "-initrd")), initrd, StandardCopyOption.REPLACE_EXISTING);
        if (argv.stream().anyMatch(a -> a.contains("path=" + SHARED_ROOTFS + ","))) {
            // the guest's root is the container's rootfs, shared: serve a copy (the container's goes with it)
            Path bundle = Path.of(
                    new ObjectMapper().readTree(state.toFile()).path("bundle").asText());
            Path rootfs = dir.resolve("rootfs");
            Process cp = new ProcessBuilder(
                            "sh",
                            "-c",
                            "rm -rf \"$2\" && cp -a \"$1\" \"$2\"",
                            "sh",
                            bundle.resolve("rootfs").toString(),
                            rootfs.toString())
                    .inheritIO()
                    .start();
            if (cp.waitFor() != 0) {
                throw new BenchInputException("cannot copy the container's rootfs from " + bundle.resolve("rootfs"));
            }
        }
        rewrite(argv, tap, ip, gw, kernel, initrd).forEach(System.out::println);
    }
}
