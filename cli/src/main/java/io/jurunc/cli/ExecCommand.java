package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.VmUnsupportedException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code exec} with runc's flags: runc's containers go to runc unchanged; a microVM is refused (a
 * channel into the guest is being designed).
 */
@Command(name = "exec", description = "run a process in a container (runc's containers only, for now)")
final class ExecCommand extends ContainerCommand {
    static final String REFUSAL =
            "exec into a microVM is not supported yet (a channel to the guest's init is being " + "designed)";

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
        throw new VmUnsupportedException(REFUSAL + ": '" + id + "'");
    }
}
