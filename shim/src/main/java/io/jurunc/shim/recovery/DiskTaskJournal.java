package io.jurunc.shim.recovery;

import io.jurunc.shim.os.ExitStatus;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * {@link TaskJournal} in a {@link HolderDir}: one properties file per task under {@code tasks/} (written to a
 * temporary file and renamed, so a crash leaves the old or the new record), and the holder's exit records
 * ({@code exits/<pid>}: {@code "<status> <unix ns>"}). Liveness of an adopted pid comes from
 * {@code /proc/<pid>/stat} (not a zombie, same start time).
 */
public final class DiskTaskJournal implements TaskJournal {
    static final Duration POLL = Duration.ofMillis(100);
    /** After the process is gone, how long the holder may take to reap it and write its record. */
    static final Duration RECORD_GRACE = Duration.ofSeconds(2);

    private final HolderDir dir;
    private final Path proc;
    private final Consumer<String> warn;

    public DiskTaskJournal(HolderDir dir, Consumer<String> warn) {
        this(dir, Path.of("/proc"), warn);
    }

    DiskTaskJournal(HolderDir dir, Path proc, Consumer<String> warn) {
        this.dir = dir;
        this.proc = proc;
        this.warn = warn;
    }

    @Override
    public void write(TaskRecord r) {
        Properties p = new Properties();
        p.setProperty("id", r.id());
        p.setProperty("bundle", r.bundle().toString());
        p.setProperty("phase", r.phase().name());
        p.setProperty("pid", Integer.toString(r.pid()));
        p.setProperty("pidStartTime", Long.toString(r.pidStartTime()));
        p.setProperty("stdin", r.stdin());
        p.setProperty("stdout", r.stdout());
        p.setProperty("stderr", r.stderr());
        p.setProperty("terminal", Boolean.toString(r.terminal()));
        p.setProperty("rootfsMounted", Boolean.toString(r.rootfsMounted()));
        r.exit().ifPresent(e -> {
            p.setProperty("exitStatus", Integer.toString(e.status()));
            p.setProperty("exitedAt", e.exitedAt().toString());
        });
        try {
            Files.createDirectories(dir.tasks());
            Path tmp = dir.tasks().resolve("." + r.id() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, null);
            }
            Files.move(
                    tmp,
                    dir.tasks().resolve(r.id()),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // the task still runs; only a crash of this JVM would lose it
            warn.accept("cannot journal task " + r.id() + ": " + e.getMessage());
        }
    }

    @Override
    public void remove(String id) {
        try {
            Files.deleteIfExists(dir.tasks().resolve(id));
        } catch (IOException e) {
            warn.accept("cannot remove the journal of task " + id + ": " + e.getMessage());
        }
    }

    @Override
    public List<TaskRecord> load() {
        List<TaskRecord> out = new ArrayList<>();
        if (!Files.isDirectory(dir.tasks())) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(
                dir.tasks(), f -> !f.getFileName().toString().startsWith("."))) {
            for (Path f : files) {
                try {
                    out.add(read(f));
                } catch (IOException | RuntimeException e) {
                    warn.accept("skipping unreadable task journal " + f + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static TaskRecord read(Path f) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Optional<ExitStatus> exit = p.getProperty("exitStatus") == null
                ? Optional.empty()
                : Optional.of(new ExitStatus(
                        Integer.parseInt(p.getProperty("exitStatus")), Instant.parse(p.getProperty("exitedAt"))));
        return new TaskRecord(
                p.getProperty("id"),
                Path.of(p.getProperty("bundle")),
                TaskRecord.Phase.valueOf(p.getProperty("phase")),
                Integer.parseInt(p.getProperty("pid")),
                Long.parseLong(p.getProperty("pidStartTime")),
                p.getProperty("stdin", ""),
                p.getProperty("stdout", ""),
                p.getProperty("stderr", ""),
                Boolean.parseBoolean(p.getProperty("terminal")),
                Boolean.parseBoolean(p.getProperty("rootfsMounted")),
                exit);
    }

    /** The holder's record of {@code pid}'s exit, if it wrote one. */
    Optional<ExitStatus> recordedExit(int pid) {
        try {
            String[] f = Files.readString(dir.exits().resolve(Integer.toString(pid)))
                    .strip()
                    .split(" ");
            long ns = Long.parseLong(f[1]);
            return Optional.of(new ExitStatus(
                    Integer.parseInt(f[0]), Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            warn.accept("unreadable exit record of pid " + pid + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public ExitStatus awaitExit(int pid, long startTime) throws InterruptedException {
        while (true) {
            Optional<ExitStatus> recorded = recordedExit(pid);
            if (recorded.isPresent()) {
                return recorded.get();
            }
            if (!alive(pid, startTime)) {
                long deadline = System.nanoTime() + RECORD_GRACE.toNanos();
                while (System.nanoTime() < deadline) {
                    Thread.sleep(POLL.toMillis());
                    recorded = recordedExit(pid);
                    if (recorded.isPresent()) {
                        return recorded.get();
                    }
                }
                warn.accept("pid " + pid + " is gone and no exit status was recorded: reporting 255");
                return new ExitStatus(255, Instant.now());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    @Override
    public void forgetExit(int pid) {
        try {
            Files.deleteIfExists(dir.exits().resolve(Integer.toString(pid)));
        } catch (IOException e) {
            warn.accept("cannot remove the exit record of pid " + pid + ": " + e.getMessage());
        }
    }

    @Override
    public long startTime(int pid) {
        return stat(pid).map(s -> s.startTime).orElse(0L);
    }

    /** Alive: present, not a zombie (a zombie is the holder's to reap and record), same start time. */
    boolean alive(int pid, long startTime) {
        return stat(pid)
                .filter(s -> s.state != 'Z' && (startTime == 0 || s.startTime == startTime))
                .isPresent();
    }

    private record Stat(char state, long startTime) {}

    private Optional<Stat> stat(int pid) {
        try {
            String s = Files.readString(proc.resolve(Integer.toString(pid)).resolve("stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // after the command: field 3 (state) is f[0], field 22 (starttime) is f[19]
            return Optional.of(new Stat(f[0].charAt(0), Long.parseLong(f[19])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
