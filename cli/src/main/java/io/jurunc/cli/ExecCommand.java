package io.jurunc.cli;

import io.jurunc.oci.Spec;
import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.ExecOperation;
import io.jurunc.runtime.lifecycle.ExecRequest;
import io.jurunc.runtime.lifecycle.InvalidExecException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code exec} with runc's flags: runc's containers go to runc unchanged; into a Linux microVM the
 * command runs through the guest init's exec channel: this process execs the static relay
 * ({@link ExecOperation}), which keeps the caller's stdio and exits with the command's status (with
 * {@code -d}, once the command started, leaving the relay behind, its pid in {@code --pid-file}).
 * A unikernel is refused. Without {@code --process}, the container's own process is the base: the
 * command replaces its args, {@code --env} adds to its env, {@code --cwd}, {@code -u}, {@code -g}
 * and {@code -t} replace the rest, as runc does.
 */
@Command(name = "exec", description = "run a process in a container (a Linux microVM: through its init)")
final class ExecCommand extends ContainerCommand {
    @Option(names = "--console-socket")
    String consoleSocket;

    @Option(names = "--pidfd-socket")
    String pidfdSocket;

    @Option(names = "--cwd")
    String cwd;

    @Option(names = {"-e", "--env"})
    List<String> env;

    @Option(names = {"-t", "--tty"})
    boolean tty;

    @Option(names = {"-u", "--user"})
    String user;

    @Option(names = {"-g", "--additional-gids"})
    List<String> additionalGids;

    @Option(names = {"-p", "--process"})
    String process;

    @Option(names = {"-d", "--detach"})
    boolean detach;

    @Option(names = "--pid-file")
    String pidFile;

    @Option(names = "--process-label")
    String processLabel;

    @Option(names = "--apparmor")
    String apparmor;

    @Option(names = "--no-new-privs")
    boolean noNewPrivs;

    @Option(names = {"-c", "--cap"})
    List<String> caps;

    @Option(names = "--preserve-fds")
    String preserveFds;

    @Option(names = "--cgroup")
    List<String> cgroup;

    @Option(names = "--ignore-paused")
    boolean ignorePaused;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1..*", paramLabel = "COMMAND")
    List<String> command;

    @Override
    int execute() throws JuruncException {
        if (!isOurs(id)) return top.handOverToRunc();
        if (pidfdSocket != null) throw new InvalidExecException("exec: --pidfd-socket is not supported for microVMs");
        if (preserveFds != null && !preserveFds.equals("0")) {
            throw new InvalidExecException(
                    "exec: --preserve-fds is not supported for microVMs (no host fd reaches the " + "guest)");
        }
        ExecOperation op = new ExecOperation(top.context());
        op.check(id);
        ExecRequest request = request(op);
        ExecOperation.Relay relay = op.prepare(
                id,
                request,
                new ExecOperation.Options(
                        detach,
                        Optional.ofNullable(pidFile).map(Path::of),
                        Optional.ofNullable(consoleSocket).map(Path::of)));
        List<String> argv = new ArrayList<>(relay.argv());
        if (top.logFile != null) {
            // why a command could not start also goes to --log, where containerd's runc shim reads runc's errors
            argv.addAll(
                    1, List.of("--log", top.logFile, "--log-format", top.logFormat == null ? "text" : top.logFormat));
        }
        return RuncHandover.exec(argv, top.log());
    }

    private ExecRequest request(ExecOperation op) throws JuruncException {
        if (process != null) return ExecRequest.of(ExecOperation.processFile(Path.of(process)));
        if (command == null || command.isEmpty()) {
            throw new InvalidExecException("exec: no command given (jurunc exec ID COMMAND [ARG...], or --process)");
        }
        Spec.Process base = op.containerProcess(id);
        List<String> environment = new ArrayList<>(base.env());
        if (env != null) environment.addAll(env);
        Spec.User u = base.user();
        long uid = u == null ? 0 : u.uidOrRoot();
        long gid = u == null ? 0 : u.gidOrRoot();
        List<Long> groups = new ArrayList<>();
        if (u != null) u.additionalGids().forEach(g -> groups.add(g.longValue()));
        if (user != null) {
            String[] ids = user.split(":", 2);
            uid = number("-u", ids[0]);
            if (ids.length == 2) gid = number("-u", ids[1]);
        }
        if (additionalGids != null) {
            groups.clear();
            for (String g : additionalGids) for (String one : g.split(",")) groups.add(number("-g", one));
        }
        return ExecRequest.of(command, environment, cwd != null ? cwd : base.cwd(), uid, gid, groups, tty);
    }

    private static long number(String flag, String value) throws InvalidExecException {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidExecException("exec: " + flag + " '" + value + "' is not a number (a microVM's user and "
                    + "group names live in the guest: give numeric ids)");
        }
    }
}
