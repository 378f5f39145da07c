package io.jurunc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jurunc.oci.Json;
import io.jurunc.oci.State;
import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.StateQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code list}: jurunc's containers (runc's are listed by {@code runc list}). */
@Command(name = "list", description = "list jurunc containers")
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    JuruncCommand top;

    @Option(
            names = {"-f", "--format"},
            defaultValue = "table",
            description = "table or json")
    String format;

    @Option(
            names = {"-q", "--quiet"},
            description = "print ids only")
    boolean quiet;

    @Override
    public Integer call() throws JuruncException, JsonProcessingException {
        List<State> states = new ArrayList<>(new StateQuery(top.context()).all());
        states.addAll(WasmHook.all(top));
        if (quiet) {
            states.forEach(s -> System.out.println(s.id()));
        } else if (format.equals("json")) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (State s : states) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ociVersion", s.ociVersion());
                m.put("id", s.id());
                m.put("pid", s.pid());
                m.put("status", s.status());
                m.put("bundle", s.bundle());
                m.put("annotations", s.annotations());
                out.add(m);
            }
            System.out.println(Json.mapper().writeValueAsString(out));
        } else if (format.equals("table")) {
            System.out.printf("%-24s %-8s %-8s %s%n", "ID", "PID", "STATUS", "BUNDLE");
            for (State s : states) System.out.printf("%-24s %-8d %-8s %s%n", s.id(), s.pid(), s.status(), s.bundle());
        } else {
            throw new JuruncCommand.UsageException("invalid --format '" + format + "': use table or json");
        }
        return 0;
    }
}
