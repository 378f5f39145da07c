package io.jurunc.e2e.clients;

import io.jurunc.e2e.support.Command;
import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.FileTrees;
import io.jurunc.e2e.support.HarnessException;
import io.jurunc.e2e.support.Host;
import io.jurunc.e2e.support.ImageBuilder;
import io.jurunc.e2e.support.Jurunc;
import io.jurunc.e2e.support.JuruncImageBuilder;
import io.jurunc.e2e.support.TestImages;
import io.jurunc.e2e.support.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the Docker and Podman client tests share: the test images as docker archives built by
 * {@code jurunc build}, a private 10.2xx.y.0/24, a curl bound to the loopback address, and the clean-up of
 * everything a client daemon may leave under the test's temp dir (processes naming the dir, such as
 * containerd-shim-runc-v2 daemonised away from dockerd; mounts below it) and of the iptables rules and
 * chains that CNI's portmap and firewall plugins create and never delete.
 */
final class ClientHost {

    private ClientHost() {}

    /** {@code jurunc build} of {@code e2e/images/<name>} to a docker archive under {@code work}. */
    static Path dockerArchive(Host host, String name, Path work) {
        Path contexts = work.resolve("contexts");
        try {
            Files.createDirectories(contexts);
        } catch (IOException e) {
            throw new HarnessException("cannot create " + contexts, e);
        }
        Path archive = work.resolve(name + ".tar");
        new JuruncImageBuilder(host, Jurunc.cli())
                .build(
                        TestImages.context(name, contexts),
                        "jurunc.test/" + name + ":latest",
                        ImageBuilder.Format.DOCKER_ARCHIVE,
                        archive);
        return archive;
    }

    /** {@code "10.a.b."}: a /24 no host address or route mentions. */
    static String freePrefix(Host host) {
        String used = host.run(Command.of("ip", "-4", "-o", "addr", "show"))
                        .requireSuccess()
                        .stdout()
                + host.run(Command.of("ip", "-4", "route", "show", "table", "all"))
                        .requireSuccess()
                        .stdout();
        SecureRandom random = new SecureRandom();
        for (int attempt = 0; attempt < 64; attempt++) {
            String candidate = "10." + (200 + random.nextInt(50)) + "." + random.nextInt(256) + ".";
            if (!used.contains(candidate)) {
                return candidate;
            }
        }
        throw new HarnessException("no free 10.x.y.0/24 subnet for a client test network");
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A free TCP port on 127.0.0.1 (closed again before it is used: another process may take it). */
    static int freeLoopbackPort() {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new HarnessException("no free port on 127.0.0.1", e);
        }
    }

    /** curl from 127.0.0.1 (the source address bound, not the device: DNAT'd packets must leave lo). */
    static CommandResult curlLoopback(Host host, int port, String path, String header) {
        return host.run(Command.of(
                        "curl",
                        "-sS",
                        "--max-time",
                        "5",
                        "--interface",
                        "127.0.0.1",
                        "-H",
                        header,
                        "http://127.0.0.1:" + port + path)
                .withTimeout(Duration.ofSeconds(10)));
    }

    /** Polls {@link #curlLoopback} until it answers with exit 0 or the limit passes; returns the last. */
    static CommandResult awaitAnswer(Host host, int port, String path, String header, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        CommandResult last = curlLoopback(host, port, path, header);
        while (!last.succeeded() && System.nanoTime() < end) {
            Waits.sleep(Duration.ofSeconds(1));
            last = curlLoopback(host, port, path, header);
        }
        return last;
    }

    /** SIGKILL of every process whose command line names {@code dir} (by pid), then waits for them to go. */
    static void killProcessesNaming(Path dir) {
        String needle = dir.toString();
        List<ProcessHandle> found = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().map(c -> c.contains(needle)).orElse(false))
                .toList();
        found.forEach(ProcessHandle::destroyForcibly);
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (found.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < end) {
            Waits.sleep(Duration.ofMillis(100));
        }
    }

    /** Processes whose command line names {@code dir}. */
    static List<String> processesNaming(Path dir) {
        String needle = dir.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().map(c -> c.contains(needle)).orElse(false))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .toList();
    }

    /** Mount points at or below {@code dir}, deepest first. */
    static List<String> mountsBelow(Path dir) {
        try {
            String prefix = dir.toString();
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(l -> l.split(" ")[4].replace("\\040", " "))
                    .filter(p -> p.equals(prefix) || p.startsWith(prefix + "/"))
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .toList();
        } catch (IOException e) {
            throw new HarnessException("cannot read /proc/self/mountinfo", e);
        }
    }

    /** Unmounts whatever is mounted below {@code dir} (lazily as a last resort), then deletes it. */
    static void unmountAndDelete(Host host, Path dir) {
        for (String m : mountsBelow(dir)) {
            if (!host.run(Command.of("umount", m)).succeeded()) {
                host.run(Command.of("umount", "-l", m));
            }
        }
        List<String> left = mountsBelow(dir);
        if (!left.isEmpty()) {
            throw new HarnessException("still mounted below " + dir + ": " + left + "; not deleting it");
        }
        FileTrees.deleteRecursively(dir);
    }

    /** The CNI-named iptables rules and chains (filter and nat) now, as {@code table + " " + -S line}. */
    static Set<String> cniIptables(Host host) {
        Set<String> lines = new java.util.LinkedHashSet<>();
        for (String table : List.of("filter", "nat")) {
            CommandResult r = host.run(Command.of("iptables", "-w", "-t", table, "-S"));
            if (r.succeeded()) {
                r.stdout().lines().filter(l -> l.contains("CNI-")).forEach(l -> lines.add(table + " " + l));
            }
        }
        return lines;
    }

    /**
     * Removes the CNI rules and chains that are in {@code now} but were not in {@code before}: the
     * portmap and firewall plugins create their base chains and jumps on first use and never remove
     * them. Rules first (as {@code -D}), then the chains they emptied.
     */
    static void removeNewCniIptables(Host host, Set<String> before) {
        List<String> added = cniIptables(host).stream()
                .filter(l -> !before.contains(l))
                .collect(Collectors.toCollection(ArrayList::new));
        for (String line : added) {
            String[] parts = line.split(" ", 2);
            if (parts[1].startsWith("-A ")) {
                List<String> argv = new ArrayList<>(List.of("iptables", "-w", "-t", parts[0], "-D"));
                argv.addAll(shellWords(parts[1].substring(3)));
                host.run(Command.of(argv));
            }
        }
        for (String line : added) {
            String[] parts = line.split(" ", 2);
            if (parts[1].startsWith("-N ")) {
                String chain = parts[1].substring(3).strip();
                host.run(Command.of("iptables", "-w", "-t", parts[0], "-F", chain));
                host.run(Command.of("iptables", "-w", "-t", parts[0], "-X", chain));
            }
        }
    }

    /** Splits an {@code iptables -S} rule into words, honouring its double quotes. */
    static List<String> shellWords(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any || !cur.isEmpty()) {
                    words.add(cur.toString());
                }
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
            }
        }
        if (any || !cur.isEmpty()) {
            words.add(cur.toString());
        }
        return words;
    }
}
