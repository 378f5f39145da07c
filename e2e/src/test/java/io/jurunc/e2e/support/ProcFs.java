package io.jurunc.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Read-only view of {@code /proc} (the root is a parameter so unit tests can point it at a fake tree).
 * Processes vanish while we read; such races simply drop the process from the answer.
 */
public final class ProcFs {

    /**
     * One process: pid, parent pid, start time (clock ticks after boot; with the pid it names a process
     * uniquely), argv and the link text of its network namespace (e.g. {@code net:[4026531840]}).
     */
    public record Proc(long pid, long ppid, long startTicks, List<String> argv, Optional<String> netns) {

        public Proc {
            argv = List.copyOf(argv);
        }

        public String commandLine() {
            return String.join(" ", argv);
        }

        /** {@code pid:startTicks}, unique for the machine's uptime (pids alone are reused). */
        public String key() {
            return pid + ":" + startTicks;
        }

        public boolean argvContains(String token) {
            return argv.stream().anyMatch(a -> a.contains(token));
        }
    }

    private final Path root;

    public ProcFs(Path root) {
        this.root = root;
    }

    public static ProcFs system() {
        return new ProcFs(Path.of("/proc"));
    }

    public List<Proc> processes() {
        List<Proc> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs =
                Files.newDirectoryStream(root, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path d : dirs) {
                read(d).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new HarnessException("cannot list " + root + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingLong(Proc::pid));
        return out;
    }

    public Optional<Proc> process(long pid) {
        return read(root.resolve(Long.toString(pid)));
    }

    /**
     * The monitor of a microVM container whose process is {@code containerPid}: that process is the
     * sandbox init ({@code jurunc-init} in its argv) and the monitor is its child.
     */
    public Optional<Proc> monitorOf(long containerPid) {
        Optional<Proc> init = process(containerPid);
        if (init.isEmpty() || !init.get().argvContains("jurunc-init")) return Optional.empty();
        return processes().stream().filter(p -> p.ppid() == containerPid).findFirst();
    }

    /** All processes below {@code pid} (children, their children, ...), deepest last. */
    public List<Proc> descendants(long pid) {
        List<Proc> all = processes();
        List<Proc> out = new ArrayList<>();
        List<Long> frontier = new ArrayList<>(List.of(pid));
        while (!frontier.isEmpty()) {
            long parent = frontier.removeFirst();
            for (Proc p : all) {
                if (p.ppid() == parent) {
                    out.add(p);
                    frontier.add(p.pid());
                }
            }
        }
        return out;
    }

    /** Mount points of this process's mount namespace that lie at or below {@code dir}, deepest first. */
    public List<Path> mountPointsUnder(Path dir) {
        List<Path> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(root.resolve("self/mountinfo"), StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                if (f.length > 4) {
                    Path mp = Path.of(unescape(f[4]));
                    if (mp.startsWith(dir)) {
                        out.add(mp);
                    }
                }
            }
        } catch (IOException e) {
            throw new HarnessException("cannot read mountinfo: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return out;
    }

    private Optional<Proc> read(Path d) {
        try {
            long pid = Long.parseLong(d.getFileName().toString());
            byte[] raw = Files.readAllBytes(d.resolve("cmdline"));
            List<String> argv =
                    raw.length == 0 ? List.of() : Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
            String stat = Files.readString(d.resolve("stat"), StandardCharsets.UTF_8);
            String afterComm = stat.substring(stat.lastIndexOf(')') + 2);
            String[] fields = afterComm.split(" ");
            long ppid = Long.parseLong(fields[1]);
            long startTicks = fields.length > 19 ? Long.parseLong(fields[19]) : 0;
            Optional<String> netns;
            try {
                netns = Optional.of(Files.readSymbolicLink(d.resolve("ns/net")).toString());
            } catch (IOException | UnsupportedOperationException e) {
                netns = Optional.empty();
            }
            return Optional.of(new Proc(pid, ppid, startTicks, argv, netns));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static String unescape(String mountField) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < mountField.length(); i++) {
            char c = mountField.charAt(i);
            if (c == '\\'
                    && i + 3 < mountField.length()
                    && mountField.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                s.append((char) Integer.parseInt(mountField.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }
}
