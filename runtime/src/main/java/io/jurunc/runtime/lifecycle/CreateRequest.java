package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.host.Stdio;
import java.nio.file.Path;
import java.util.Optional;

/** Arguments of {@code create}. */
public record CreateRequest(
        String id, Bundle bundle, Optional<Path> pidFile, Optional<Path> consoleSocket, Stdio stdio) {}
