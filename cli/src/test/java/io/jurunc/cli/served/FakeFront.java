package io.jurunc.cli.served;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The front's side of the protocol in Java, for tests of the daemon's side: it sends a request, forks what the
 * daemon asks it to (with {@link ProcessBuilder}, so the forked process is this JVM's child, as the waiter is the
 * real front's), collects output and reports how the call ended.
 */
public final class FakeFront {
    /** How a call ended: an exit code, a hand-over to argv/env, or a fall-back to the JVM launcher. */
    public record Ending(
            int rc,
            String out,
            String err,
            List<String> handOver,
            List<String> handOverEnv,
            boolean fellBack,
            List<Long> spawned) {}

    private FakeFront() {}

    public static Ending call(Path socket, String home, Path cwd, Map<String, String> env, List<String> args)
            throws IOException {
        List<String> q = new ArrayList<>();
        q.add(FrontRequest.VERSION);
        q.add(home);
        q.add(cwd.toString());
        for (String ns : List.of("mnt", "pid", "user")) {
            q.add(Files.readSymbolicLink(Path.of("/proc/self/ns", ns)).toString());
        }
        q.add(Integer.toString(args.size()));
        q.addAll(args);
        env.forEach((k, v) -> q.add(k + "=" + v));
        Output o = new Output(new ByteArrayOutputStream(), new ByteArrayOutputStream(), new ArrayList<>());
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            Frames.writeStrings(ch, Frames.REQUEST, q);
            while (true) {
                Frames.Frame f;
                try {
                    f = Frames.read(ch);
                } catch (EOFException e) {
                    return o.ending(-1, List.of(), false);
                }
                switch (f.type()) {
                    case Frames.STDOUT -> o.out.write(f.payload());
                    case Frames.STDERR -> o.err.write(f.payload());
                    case Frames.EXIT -> {
                        return o.ending(Integer.parseInt(f.strings().getFirst()), List.of(), false);
                    }
                    case Frames.FALL_BACK -> {
                        return o.ending(-1, List.of(), true);
                    }
                    case Frames.HAND_OVER -> {
                        return o.ending(-1, f.strings(), false);
                    }
                    case Frames.SPAWN -> {
                        long pid = spawn(f.strings());
                        if (pid > 0) o.spawned.add(pid);
                        Frames.writeStrings(ch, Frames.SPAWNED, List.of(Long.toString(pid)));
                    }
                    default -> throw new IOException("unexpected frame " + (char) f.type());
                }
            }
        }
    }

    private record Output(ByteArrayOutputStream out, ByteArrayOutputStream err, List<Long> spawned) {
        /** {@code handOver}: an H frame's strings (argc, argv, env), or empty. */
        Ending ending(int rc, List<String> handOver, boolean fellBack) {
            int argc = handOver.isEmpty() ? 0 : Integer.parseInt(handOver.getFirst());
            return new Ending(
                    rc,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8),
                    handOver.isEmpty() ? List.of() : handOver.subList(1, 1 + argc),
                    handOver.isEmpty() ? List.of() : handOver.subList(1 + argc, handOver.size()),
                    fellBack,
                    List.copyOf(spawned));
        }
    }

    private static long spawn(List<String> s) {
        ProcessBuilder pb = new ProcessBuilder(s.subList(3, s.size()));
        pb.redirectInput(
                s.get(0).isEmpty()
                        ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                        : ProcessBuilder.Redirect.from(new File(s.get(0))));
        pb.redirectOutput(
                s.get(1).isEmpty()
                        ? ProcessBuilder.Redirect.DISCARD
                        : ProcessBuilder.Redirect.appendTo(new File(s.get(1))));
        pb.redirectError(
                s.get(2).isEmpty()
                        ? ProcessBuilder.Redirect.DISCARD
                        : ProcessBuilder.Redirect.appendTo(new File(s.get(2))));
        try {
            return pb.start().pid();
        } catch (IOException e) {
            return -2; // ENOENT, as the front reports a failed exec
        }
    }
}
