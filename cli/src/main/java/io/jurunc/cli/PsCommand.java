package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.StateQuery;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ps}: the monitor's pid (containerd's recovery calls {@code ps --format json}). */
@Command(name = "ps", description = "list the container's processes")
final class PsCommand extends ContainerCommand {
    @Option(
            names = {"-f", "--format"},
            defaultValue = "table",
            description = "table or json")
    String format;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1..*", paramLabel = "PS_ARGS", description = "ignored (ps options)")
    List<String> psArgs;

    @Override
    int execute() throws JuruncException {
        if (WasmHook.owns(top, id)) return WasmHook.ps(top, id, format);
        if (!isOurs(id)) return top.handOverToRunc();
        print(new StateQuery(top.context()).pids(id), format, top.out());
        return 0;
    }

    /** The pids as {@code ps} prints them: a JSON array, or a table with a PID header. */
    static void print(List<Long> pids, String format, java.io.PrintStream out) throws JuruncCommand.UsageException {
        if (format.equals("json")) {
            out.println(pids.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]")));
        } else if (format.equals("table")) {
            out.println("PID");
            pids.forEach(out::println);
        } else {
            throw new JuruncCommand.UsageException("invalid --format '" + format + "': use table or json");
        }
    }
}
