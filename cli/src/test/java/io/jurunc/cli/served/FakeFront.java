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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<Long> spawned = new ArrayList<>();
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            Frames.writeStrings(ch, Frames.REQUEST, q);
            while (true) {
                Frames.Frame f;
                try {
                    f = Frames.read(ch);
                } catch (EOFException e) {
                    return new Ending(
                            -1,
                            out.toString(StandardCharsets.UTF_8),
                            err.toString(StandardCharsets.UTF_8),
                            List.of(),
                            List.of(),
                            false,
                            spawned);
                }
                switch (f.type()) {
                    case Frames.STDOUT -> out.write(f.payload());
                    case Frames.STDERR -> err.write(f.payload());
                    case Frames.EXIT -> {
                        return new Ending(
                                Integer.parseInt(f.strings().getFirst()),
                                out.toString(StandardCharsets.UTF_8),
                                err.toString(StandardCharsets.UTF_8),
                                List.of(),
                                List.of(),
                                false,
                                spawned);
                    }
                    case Frames.FALL_BACK -> {
                        return new Ending(
                                -1,
                                out.toString(StandardCharsets.UTF_8),
                                err.toString(StandardCharsets.UTF_8),
                                List.of(),
                                List.of(),
                                true,
                                spawned);
                    }
                    case Frames.HAND_OVER -> {
                        List<String> s = f.strings();
                        int argc = Integer.parseInt(s.getFirst());
                        return new Ending(
                                -1,
                                out.toString(StandardCharsets.UTF_8),
                                err.toString(StandardCharsets.UTF_8),
                                s.subList(1, 1 + argc),
                                s.subList(1 + argc, s.size()),
                                false,
                                spawned);
                    }
                    case Frames.SPAWN -> {
                        long pid = spawn(f.strings());
                        if (pid > 0) spawned.add(pid);
                        Frames.writeStrings(ch, Frames.SPAWNED, List.of(Long.toString(pid)));
                    }
                    default -> throw new IOException("unexpected frame " + (char) f.type());
                }
            }
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
