package io.jurunc.e2e.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real unikernel binaries and Solo5 tenders in {@code ../shared/unikernels} (beside the checkout;
 * {@code -Djurunc.unikernels=DIR} overrides). The Unikernel* tests fail, naming this directory, when it
 * is missing: they are never skipped.
 */
public final class Unikernels {

    private Unikernels() {}

    public static Path dir() {
        String configured = System.getProperty("jurunc.unikernels");
        return configured != null
                ? Path.of(configured)
                : Jurunc.repo().getParent().resolve("shared/unikernels");
    }

    /** A binary from {@code bin/}, checked to exist. */
    public static Path bin(String name) {
        Path p = dir().resolve("bin").resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new HarnessException("the unikernel binary " + p + " is missing: the Unikernel* tests need " + dir()
                    + " (real Unikraft and Solo5 binaries; see its README), or -Djurunc.unikernels=DIR");
        }
        return p;
    }

    /** The Solo5 tender on PATH (scripts/install-deps.sh installs it from bin/), checked to be the shared one. */
    public static void requireTender(Host host, String tender) {
        CommandResult r = host.run(Command.of("sh", "-c", "command -v " + tender));
        if (!r.succeeded()) {
            throw new HarnessException(tender + " is not on PATH: run scripts/install-deps.sh (it installs the Solo5"
                    + " tenders from " + dir().resolve("bin") + " into /usr/local/bin)");
        }
    }
}
