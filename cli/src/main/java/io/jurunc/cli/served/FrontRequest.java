package io.jurunc.cli.served;

import io.jurunc.cli.served.Frames.ProtocolException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A front's request: its installation, directory and namespaces, the call's arguments (after argv[0]) and its
 * environment.
 */
record FrontRequest(String home, Path cwd, Namespaces namespaces, List<String> args, Map<String, String> env) {
    static final String VERSION = "1";
    private static final int MAX_ARGS = 4096;

    /** The namespaces a process runs in, as readlink of /proc/PID/ns/{mnt,pid,user} gives them. */
    record Namespaces(String mnt, String pid, String user) {}

    FrontRequest {
        args = List.copyOf(args);
        env = Map.copyOf(env);
    }

    static FrontRequest parse(List<String> s) throws ProtocolException {
        if (s.size() < 7) throw new ProtocolException("a request of " + s.size() + " strings");
        if (!s.get(0).equals(VERSION)) throw new ProtocolException("protocol version '" + s.get(0) + "'");
        String cwd = s.get(2);
        if (!cwd.startsWith("/")) throw new ProtocolException("a relative working directory");
        int argc;
        try {
            argc = Integer.parseInt(s.get(6));
        } catch (NumberFormatException e) {
            throw new ProtocolException("argc '" + s.get(6) + "'");
        }
        if (argc < 0 || argc > MAX_ARGS || 7 + argc > s.size()) throw new ProtocolException("argc " + argc);
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : s.subList(7 + argc, s.size())) {
            int eq = e.indexOf('=');
            if (eq <= 0) continue; // the JVM path would not see it either
            env.putIfAbsent(e.substring(0, eq), e.substring(eq + 1));
        }
        return new FrontRequest(
                s.get(1), Path.of(cwd), new Namespaces(s.get(3), s.get(4), s.get(5)), s.subList(7, 7 + argc), env);
    }
}
