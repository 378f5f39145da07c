package io.jurunc.builder.containerfile;

import io.jurunc.builder.Location;
import java.util.List;

/**
 * One parsed Containerfile instruction. Arguments are kept raw (unexpanded) where Docker expands
 * variables at build time, so that ARG and ENV values in force at that point apply.
 */
public sealed interface Instruction {
    Location location();

    /** FROM [--platform=P] image [AS name]. */
    record From(Location location, String image, String platform, String alias) implements Instruction {}

    /** ARG name[=default]. */
    record Arg(Location location, String name, String defaultValue) implements Instruction {}

    /** COPY or ADD: raw source words, raw destination, and the flags given. */
    record Copy(Location location, boolean add, List<String> sources, String destination, String chmod, String chown)
            implements Instruction {}

    /** LABEL: raw name=value words (quotes still present), or a bima-style single pair. */
    record Label(Location location, String rawArguments) implements Instruction {}

    /** ENV: raw name=value words or the legacy {@code ENV name value} form. */
    record Env(Location location, String rawArguments) implements Instruction {}

    /** CMD or ENTRYPOINT; shell form is already wrapped as {@code /bin/sh -c TEXT}. */
    record Command(Location location, boolean entrypoint, List<String> arguments) implements Instruction {}

    record Workdir(Location location, String rawPath) implements Instruction {}

    record User(Location location, String rawUser) implements Instruction {}

    record Expose(Location location, String rawPorts) implements Instruction {}
}
