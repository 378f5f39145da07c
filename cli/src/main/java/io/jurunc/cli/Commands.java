package io.jurunc.cli;

import io.jurunc.builder.cli.BuildCommand;
import io.jurunc.shim.install.InstallCommand;
import io.jurunc.vaccel.agent.AgentCommand;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The subcommands, registered lazily: containerd runs jurunc several times per container, and
 * picocli builds the model of every registered command by reflection, so an invocation registers
 * only the subcommand it names (all of them for help or an unknown name).
 */
final class Commands {
    private Commands() {}

    /** Global flags that take a value, so the subcommand is found after them. */
    private static final Set<String> GLOBAL_WITH_VALUE =
            Set.of("--root", "--log", "--log-format", "--rootless", "--criu");

    private static Map<String, Supplier<CommandLine>> all() {
        Map<String, Supplier<CommandLine>> m = new LinkedHashMap<>();
        m.put("create", () -> new CommandLine(new CreateCommand()));
        m.put("start", () -> new CommandLine(new StartCommand()));
        m.put("state", () -> new CommandLine(new StateCommand()));
        m.put("kill", () -> new CommandLine(new KillCommand()));
        m.put("delete", () -> new CommandLine(new DeleteCommand()));
        m.put("run", () -> new CommandLine(new RunCommand()));
        m.put("list", () -> new CommandLine(new ListCommand()));
        m.put("ps", () -> new CommandLine(new PsCommand()));
        m.put("features", () -> new CommandLine(new FeaturesCommand()));
        m.put("pause", () -> new CommandLine(new PauseCommand()));
        m.put("resume", () -> new CommandLine(new ResumeCommand()));
        m.put("update", () -> new CommandLine(new UpdateCommand()));
        m.put("events", () -> new CommandLine(new EventsCommand()));
        m.put("exec", () -> new CommandLine(new ExecCommand()).setStopAtPositional(true));
        m.put("checkpoint", () -> new CommandLine(new CheckpointCommand()));
        m.put("restore", () -> new CommandLine(new RestoreCommand()));
        m.put("build", () -> new CommandLine(new BuildCommand()));
        m.put("vaccel", () -> {
            CommandLine vaccel = new CommandLine(new VaccelCommand());
            vaccel.addSubcommand("agent", new CommandLine(new AgentCommand()));
            return vaccel;
        });
        m.put("install", () -> {
            CommandLine install = new CommandLine(new InstallGroup());
            install.addSubcommand("containerd", new CommandLine(new InstallCommand()));
            return install;
        });
        return m;
    }

    static void register(CommandLine cl, String[] args) {
        Map<String, Supplier<CommandLine>> all = all();
        String sub = subcommand(args);
        if (sub != null && all.containsKey(sub)) {
            cl.addSubcommand(sub, all.get(sub).get());
        } else {
            all.forEach((name, make) -> cl.addSubcommand(name, make.get()));
        }
    }

    /** The first argument that is not a global flag (or a global flag's value). */
    static String subcommand(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-")) return a;
            if (GLOBAL_WITH_VALUE.contains(a)) i++;
        }
        return null;
    }

    /** {@code jurunc vaccel ...}: the acceleration tools. */
    @Command(name = "vaccel", description = "vAccel tools", mixinStandardHelpOptions = true)
    static final class VaccelCommand implements Runnable {
        @Override
        public void run() {
            new CommandLine(this).usage(System.out);
        }
    }

    /** {@code jurunc install ...}: host integration. */
    @Command(name = "install", description = "install jurunc into a host component", mixinStandardHelpOptions = true)
    static final class InstallGroup implements Runnable {
        @Override
        public void run() {
            new CommandLine(this).usage(System.out);
        }
    }
}
