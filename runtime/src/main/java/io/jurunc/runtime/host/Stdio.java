package io.jurunc.runtime.host;

import java.nio.file.Path;
import java.util.Optional;

/** Where the container process's stdio goes: inherited from the caller, or files/FIFOs by path. */
public sealed interface Stdio {
    record Inherit() implements Stdio {}

    /** Paths as containerd hands them over; an absent stream is /dev/null. */
    record Paths(Optional<Path> stdin, Optional<Path> stdout, Optional<Path> stderr) implements Stdio {}

    Stdio INHERIT = new Inherit();
}
