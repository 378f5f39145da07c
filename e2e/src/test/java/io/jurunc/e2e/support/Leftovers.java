package io.jurunc.e2e.support;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds what a container left behind after kill/delete (or after a failed create): processes that still
 * name it, directories that should be gone, and its network namespace (which holds the tap) if any
 * process or mount still keeps it alive. Each finding is a readable line; no findings means clean.
 */
public final class Leftovers {

    /**
     * What to look for.
     *
     * @param needles       strings that must not appear in any other process's argv (normally the container id)
     * @param mustNotExist  paths that must be gone (runtime state dir, containerd task bundle, ...)
     * @param netns         the container's netns and the processes in it, recorded while it ran
     * @param searchRoots   directories in which no entry may be named after the container any more
     * @param processes     {@link ProcFs.Proc#key()}s of processes recorded while it ran (the monitor) that must be gone
     */
    public record Scope(
            List<String> needles,
            List<Path> mustNotExist,
            Optional<NetnsRecord> netns,
            List<String> processes,
            List<Path> searchRoots) {

        public Scope {
            needles = List.copyOf(needles);
            mustNotExist = List.copyOf(mustNotExist);
            processes = List.copyOf(processes);
            searchRoots = List.copyOf(searchRoots);
            if (needles.stream().anyMatch(n -> n.length() < 6)) {
                throw new IllegalArgumentException("needles must be specific (6+ characters): " + needles);
            }
        }

        public static Scope of(String id, Path... mustNotExist) {
            return new Scope(List.of(id), List.of(mustNotExist), Optional.empty(), List.of(), List.of());
        }

        public Scope withNetns(NetnsRecord link) {
            return new Scope(needles, mustNotExist, Optional.of(link), processes, searchRoots);
        }

        /** Also search {@code root} (5 levels deep) for entries whose name contains a needle. */
        public Scope withSearchRoot(Path root) {
            List<Path> r = new ArrayList<>(searchRoots);
            r.add(root);
            return new Scope(needles, mustNotExist, netns, processes, r);
        }

        public Scope withProcess(ProcFs.Proc process) {
            List<String> p = new ArrayList<>(processes);
            p.add(process.key());
            return new Scope(needles, mustNotExist, netns, p, searchRoots);
        }

        public Scope withPath(Path path) {
            List<Path> p = new ArrayList<>(mustNotExist);
            p.add(path);
            return new Scope(needles, p, netns, processes, searchRoots);
        }
    }

    /**
     * A network namespace seen while the container ran: its link text and the processes in it then
     * ({@link ProcFs.Proc#key()}). Netns inode numbers are reused once a namespace dies, so later only
     * those processes, or processes naming the container, count as keeping it alive.
     */
    public record NetnsRecord(String link, java.util.Set<String> holders) {
        public NetnsRecord {
            holders = java.util.Set.copyOf(holders);
        }
    }

    private final ProcFs proc;
    private final Host host;

    public Leftovers(ProcFs proc, Host host) {
        this.proc = proc;
        this.host = host;
    }

    public static Leftovers system() {
        return new Leftovers(ProcFs.system(), new RealHost());
    }

    /** The netns link of a running process. */
    public Optional<String> netnsOf(long pid) {
        return proc.process(pid).flatMap(ProcFs.Proc::netns);
    }

    /** The netns of a running process and everything in it now, to pass to {@link Scope#withNetns} later. */
    public Optional<NetnsRecord> recordNetns(long pid) {
        return netnsOf(pid)
                .map(link -> new NetnsRecord(
                        link,
                        proc.processes().stream()
                                .filter(p -> p.netns().filter(link::equals).isPresent())
                                .map(ProcFs.Proc::key)
                                .collect(java.util.stream.Collectors.toSet())));
    }

    /** tun/tap devices inside the network namespace of {@code pid}. */
    public List<String> tapsInNetnsOf(long pid) {
        CommandResult r = host.run(Command.of(
                "nsenter", "--net=/proc/" + pid + "/ns/net", "--", "ip", "-o", "link", "show", "type", "tun"));
        if (!r.succeeded()) {
            return List.of();
        }
        return Ctr.lines(r.stdout()).stream()
                .map(l -> l.split(":")[1].strip().split("@")[0])
                .toList();
    }

    /**
     * The scope's processes that are still there after a grace period: a shim daemon or a monitor
     * exits asynchronously after containerd's last call returns, so only what outlives that counts.
     */
    List<ProcFs.Proc> processesAfterGrace(Scope scope) {
        return Waits.whileNonEmpty(() -> processes(scope), Duration.ofSeconds(10));
    }

    /** Processes (other than this JVM) whose argv contains one of the scope's needles. */
    public List<ProcFs.Proc> processes(Scope scope) {
        long self = ProcessHandle.current().pid();
        return proc.processes().stream()
                .filter(p -> p.pid() != self)
                .filter(p -> scope.needles().stream().anyMatch(p::argvContains))
                .toList();
    }

    /** Every finding; an empty list means nothing was left behind. */
    public List<String> find(Scope scope) {
        List<String> found = new ArrayList<>();
        for (ProcFs.Proc p : processesAfterGrace(scope)) {
            found.add("process " + p.pid() + " still runs: " + p.commandLine());
        }
        for (String key : scope.processes()) {
            long pid = Long.parseLong(key.substring(0, key.indexOf(':')));
            proc.process(pid)
                    .filter(p -> p.key().equals(key))
                    .ifPresent(p -> found.add("recorded process " + pid + " is still alive: " + p.commandLine()));
        }
        for (Path p : scope.mustNotExist()) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                found.add("path still exists: " + p);
            }
        }
        for (Path root : scope.searchRoots()) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (var walk = Files.find(
                    root,
                    5,
                    (p, a) -> scope.needles().stream()
                            .anyMatch(n -> p.getFileName() != null
                                    && p.getFileName().toString().contains(n)))) {
                walk.forEach(p -> found.add("left behind: " + p));
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                // entries vanish while we walk; what is still there is found next time
            }
        }
        scope.netns().ifPresent(rec -> {
            String ns = rec.link();
            for (ProcFs.Proc p : proc.processes()) {
                boolean ours = rec.holders().contains(p.key())
                        || scope.needles().stream().anyMatch(p::argvContains);
                if (ours && p.netns().filter(ns::equals).isPresent()) {
                    found.add("netns " + ns + " (with the tap) is still held by process " + p.pid() + ": "
                            + p.commandLine());
                }
            }
            String inode = ns.replaceAll("\\D", "");
            CommandResult mounts = host.run(Command.of("findmnt", "-n", "-t", "nsfs", "-o", "TARGET,SOURCE"));
            for (String line : Ctr.lines(mounts.stdout())) {
                // only mounts that name the container: the inode may have been reused by another netns
                if (line.contains("[" + inode + "]") && scope.needles().stream().anyMatch(line::contains)) {
                    found.add("netns " + ns + " is still bind-mounted: " + line);
                }
            }
        });
        return found;
    }
}
