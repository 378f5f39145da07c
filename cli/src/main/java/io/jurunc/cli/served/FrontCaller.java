package io.jurunc.cli.served;

import io.jurunc.cli.Caller;
import io.jurunc.cli.served.Frames.Frame;
import io.jurunc.libc.Errno;
import io.jurunc.runtime.host.HostException;
import io.jurunc.runtime.host.LinuxHost;
import io.jurunc.runtime.host.ProcessInfo;
import io.jurunc.runtime.host.Spawned;
import io.jurunc.runtime.host.Spawner;
import io.jurunc.runtime.host.Stdio;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The front a served call runs for: its output is collected and sent as {@code O}/{@code E} frames, the waiter
 * create leaves behind is forked by the front ({@code S} → {@code P}), and a hand-over to runc is the front's
 * own execve ({@code H}).
 */
final class FrontCaller implements Caller {
    private final ByteChannel channel;
    private final Map<String, String> env;
    private final LinuxHost host = new LinuxHost();
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private boolean handedOver;

    FrontCaller(ByteChannel channel, Map<String, String> env) {
        this.channel = channel;
        this.env = env;
    }

    @Override
    public PrintStream out() {
        return out;
    }

    @Override
    public PrintStream err() {
        return err;
    }

    @Override
    public Map<String, String> env() {
        return env;
    }

    @Override
    public Optional<Spawner> spawner() {
        return Optional.of(this::spawn);
    }

    private Spawned spawn(List<String> argv, Stdio stdio) throws HostException {
        List<String> msg = new ArrayList<>(3 + argv.size());
        switch (stdio) {
            case Stdio.Inherit i -> msg.addAll(List.of("", "", ""));
            case Stdio.Paths p -> {
                msg.add(p.stdin().map(Path::toString).orElse("/dev/null"));
                msg.add(p.stdout().map(Path::toString).orElse("/dev/null"));
                msg.add(p.stderr().map(Path::toString).orElse("/dev/null"));
            }
        }
        msg.addAll(argv);
        long pid;
        try {
            Frames.writeStrings(channel, Frames.SPAWN, msg);
            Frame answer = Frames.read(channel);
            List<String> s = answer.strings();
            if (answer.type() != Frames.SPAWNED || s.size() != 1) {
                throw new HostException("the front answered a spawn with a frame of type " + (char) answer.type());
            }
            pid = Long.parseLong(s.getFirst());
        } catch (IOException | NumberFormatException e) {
            throw new HostException("cannot start " + argv.getFirst() + " through the caller: " + e.getMessage(), e);
        }
        if (pid <= 0) {
            throw new HostException("cannot start " + argv.getFirst() + ": " + Errno.describe((int) -pid));
        }
        long start = host.inspect(pid).map(ProcessInfo::startTime).orElse(0L);
        return new Spawned(pid, start, Optional.empty());
    }

    @Override
    public void exec(List<String> argv, List<String> execEnv) {
        List<String> msg = new ArrayList<>(1 + argv.size() + execEnv.size());
        msg.add(Integer.toString(argv.size()));
        msg.addAll(argv);
        msg.addAll(execEnv);
        try {
            sendOutput();
            Frames.writeStrings(channel, Frames.HAND_OVER, msg);
            handedOver = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand the call over to " + argv.getFirst(), e);
        }
    }

    boolean handedOver() {
        return handedOver;
    }

    /** The output collected so far, as {@code O} and {@code E} frames. */
    void sendOutput() throws IOException {
        out.flush();
        err.flush();
        if (outBytes.size() > 0) Frames.write(channel, Frames.STDOUT, outBytes.toByteArray());
        if (errBytes.size() > 0) Frames.write(channel, Frames.STDERR, errBytes.toByteArray());
        outBytes.reset();
        errBytes.reset();
    }

    void exit(int rc) throws IOException {
        sendOutput();
        Frames.writeStrings(channel, Frames.EXIT, List.of(Integer.toString(rc)));
    }
}
