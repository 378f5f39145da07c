package io.jurunc.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Binds the commands containerd's runc shim runs for every container (create, start, state, kill,
 * delete, ps) without picocli: picocli is compiled for an old class-file version that the JDK's AOT
 * cache cannot store, and building its model costs more than the rest of such a call. The same
 * command objects run either way; anything this parser does not recognise exactly (help, an unknown
 * flag, a missing argument) is left to picocli, which owns the CLI's definition and its errors.
 */
final class FastPath {
    private FastPath() {}

    /** The command bound to {@code args}, or empty to let picocli parse them. */
    static Optional<ContainerCommand> bind(JuruncCommand top, String[] args) {
        top.root = Path.of("/run/jurunc");
        top.logFormat = "text";
        int i = 0;
        for (; i < args.length && args[i].startsWith("-"); i++) {
            String a = args[i];
            switch (a) {
                case "--debug" -> top.debug = true;
                case "--systemd-cgroup" -> top.systemdCgroup = true;
                case "--root", "--log", "--log-format", "--rootless" -> {
                    if (++i >= args.length) return Optional.empty();
                    String v = args[i];
                    switch (a) {
                        case "--root" -> top.root = Path.of(v);
                        case "--log" -> top.logFile = v;
                        case "--log-format" -> top.logFormat = v;
                        default -> top.rootless = v;
                    }
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        if (i >= args.length) return Optional.empty();
        String name = args[i];
        List<String> rest = new ArrayList<>(List.of(args).subList(i + 1, args.length));
        ContainerCommand cmd = switch (name) {
            case "create" -> create(rest);
            case "start" -> single(new StartCommand(), rest, (c, id) -> c.id = id);
            case "state" -> single(new StateCommand(), rest, (c, id) -> c.id = id);
            case "delete" -> delete(rest);
            case "kill" -> kill(rest);
            case "ps" -> ps(rest);
            default -> null;
        };
        if (cmd == null) return Optional.empty();
        cmd.top = top;
        return Optional.of(cmd);
    }

    private interface IdSetter<C> {
        void set(C command, String id);
    }

    private static <C extends ContainerCommand> C single(C c, List<String> rest, IdSetter<C> setter) {
        if (rest.size() != 1 || rest.getFirst().startsWith("-")) return null;
        setter.set(c, rest.getFirst());
        return c;
    }

    private static CreateCommand create(List<String> rest) {
        CreateCommand c = new CreateCommand();
        c.opts = new CreateOptions();
        String id = null;
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            switch (a) {
                case "-b", "--bundle", "--pid-file", "--console-socket", "--preserve-fds" -> {
                    if (++i >= rest.size()) return null;
                    String v = rest.get(i);
                    switch (a) {
                        case "--pid-file" -> c.opts.pidFile = Path.of(v);
                        case "--console-socket" -> c.opts.consoleSocket = Path.of(v);
                        case "--preserve-fds" -> {
                            try {
                                c.opts.preserveFds = Integer.parseInt(v);
                            } catch (NumberFormatException e) {
                                return null;
                            }
                        }
                        default -> c.opts.bundle = Path.of(v);
                    }
                }
                case "--no-pivot" -> c.opts.noPivot = true;
                case "--no-new-keyring" -> c.opts.noNewKeyring = true;
                default -> {
                    if (a.startsWith("-") || id != null) return null;
                    id = a;
                }
            }
        }
        if (id == null) return null;
        c.id = id;
        return c;
    }

    private static DeleteCommand delete(List<String> rest) {
        DeleteCommand c = new DeleteCommand();
        List<String> ids = new ArrayList<>();
        for (String a : rest) {
            if (a.equals("-f") || a.equals("--force")) c.force = true;
            else if (a.startsWith("-")) return null;
            else ids.add(a);
        }
        if (ids.size() != 1) return null;
        c.id = ids.getFirst();
        return c;
    }

    private static KillCommand kill(List<String> rest) {
        KillCommand c = new KillCommand();
        List<String> pos = new ArrayList<>();
        for (String a : rest) {
            if (a.equals("-a") || a.equals("--all")) c.all = true;
            else if (a.startsWith("-")) return null;
            else pos.add(a);
        }
        if (pos.isEmpty() || pos.size() > 2) return null;
        c.id = pos.get(0);
        c.signal = pos.size() == 2 ? pos.get(1) : "SIGTERM";
        return c;
    }

    private static PsCommand ps(List<String> rest) {
        PsCommand c = new PsCommand();
        c.format = "table";
        if (rest.size() == 3 && (rest.get(0).equals("-f") || rest.get(0).equals("--format"))) {
            c.format = rest.get(1);
            c.id = rest.get(2);
            return c;
        }
        if (rest.size() == 1 && !rest.getFirst().startsWith("-")) {
            c.id = rest.getFirst();
            return c;
        }
        return null;
    }
}
