package io.jurunc.e2e.support;

import java.nio.file.Path;

/**
 * The harness's boundary to the operating system: every external command goes through here, so the
 * harness's own logic can be unit-tested with {@link RecordingHost}.
 */
public interface Host {

    /** Runs to completion (or until the command's timeout, then kills it and its descendants). */
    CommandResult run(Command command);

    /** Starts in the background with stdout and stderr sent to the given files. */
    Spawned start(Command command, Path stdout, Path stderr);
}
