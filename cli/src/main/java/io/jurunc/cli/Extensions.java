package io.jurunc.cli;

import io.jurunc.build.cli.BuildCommand;
import io.jurunc.shim.install.InstallCommand;
import io.jurunc.vaccel.agent.AgentCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Subcommands contributed by other modules: {@code build}, {@code vaccel agent}, {@code install containerd}. */
final class Extensions {
  private Extensions() {}

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

  static void register(CommandLine cl) {
    CommandLine install = new CommandLine(new InstallGroup());
    install.addSubcommand("containerd", new CommandLine(new InstallCommand()));
    cl.addSubcommand("install", install);
    cl.addSubcommand("build", new CommandLine(new BuildCommand()));
    CommandLine vaccel = new CommandLine(new VaccelCommand());
    vaccel.addSubcommand("agent", new CommandLine(new AgentCommand()));
    cl.addSubcommand("vaccel", vaccel);
  }
}
