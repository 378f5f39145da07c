package io.jurunc.cli;

import picocli.CommandLine;

/** Subcommands contributed by other modules (build, vaccel, install). */
final class Extensions {
  private Extensions() {}

  static void register(CommandLine cl) {
  }
}
