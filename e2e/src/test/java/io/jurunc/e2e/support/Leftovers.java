package io.jurunc.e2e.support;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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
     * @param netns         the container's netns link text (e.g. {@code net:[4026532301]}) recorded while it ran
     */
    public record Scope(List<String> needles, List<Path> mustNotExist, Optional<String> netns) {

        public Scope {
            needles = List.copyOf(needles);
            mustNotExist = List.copyOf(mustNotExist);
            if (needles.stream().anyMatch(n -> n.length() < 6)) {
                throw new IllegalArgumentException("needles must be specific (6+ characters): " + needles);
            }
        }

        public static Scope of(String id, Path... mustNotExist) {
            return new Scope(List.of(id), List.of(mustNotExist), Optional.empty());
        }

        public Scope withNetns(String link) {
            return new Scope(needles, mustNotExist, Optional.of(link));
        }

        public Scope withPath(Path path) {
            List<Path> p = new ArrayList<>(mustNotExist);
            p.add(path);
            return new Scope(needles, p, netns);
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

    /** The netns link of a running process, to pass to {@link Scope#withNetns} later. */
    public Optional<String> netnsOf(long pid) {
        return proc.process(pid).flatMap(ProcFs.Proc::netns);
    }

    /** tun/tap devices inside the network namespace of {@code pid}. */
    public List<String> tapsInNetnsOf(long pid) {
        CommandResult r = host.run(Command.of("nsenter", "--net=/proc/" + pid + "/ns/net", "--",
                "ip", "-o", "link", "show", "type", "tun"));
        if (!r.succeeded()) {
            return List.of();
        }
        return Ctr.lines(r.stdout()).stream().map(l -> l.split(":")[1].strip().split("@")[0]).toList();
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
        for (ProcFs.Proc p : processes(scope)) {
            found.add("process " + p.pid() + " still runs: " + p.commandLine());
        }
        for (Path p : scope.mustNotExist()) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                found.add("path still exists: " + p);
            }
        }
        scope.netns().ifPresent(ns -> {
            for (ProcFs.Proc p : proc.processes()) {
                if (p.netns().filter(ns::equals).isPresent()) {
                    found.add("netns " + ns + " (with the tap) is still held by process " + p.pid() + ": " + p.commandLine());
                }
            }
            String inode = ns.replaceAll("\\D", "");
            CommandResult mounts = host.run(Command.of("findmnt", "-n", "-t", "nsfs", "-o", "TARGET,SOURCE"));
            for (String line : Ctr.lines(mounts.stdout())) {
                if (line.contains("[" + inode + "]")) {
                    found.add("netns " + ns + " is still bind-mounted: " + line);
                }
            }
        });
        return found;
    }
}
