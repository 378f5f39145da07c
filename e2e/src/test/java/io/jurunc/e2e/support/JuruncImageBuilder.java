package io.jurunc.e2e.support;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The project's own builder, driven through its CLI as a user would:
 * {@code jurunc build -f CONTEXT/Containerfile -t REF --output oci-archive:FILE|docker-archive:FILE CONTEXT}
 * (see docs/build.md).
 */
public final class JuruncImageBuilder implements ImageBuilder {

    private final Host host;
    private final Path jurunc;

    public JuruncImageBuilder(Host host, Path jurunc) {
        this.host = host;
        this.jurunc = jurunc;
    }

    @Override
    public void build(Path context, String reference, Format format, Path out) {
        String output = switch (format) {
            case OCI_ARCHIVE -> "oci-archive:" + out;
            case DOCKER_ARCHIVE -> "docker-archive:" + out;
        };
        Path file = java.nio.file.Files.exists(context.resolve("bunnyfile"))
                ? context.resolve("bunnyfile")
                : context.resolve("Containerfile");
        host.run(Command.of(
                                jurunc.toString(),
                                "build",
                                "-f",
                                file.toString(),
                                "-t",
                                reference,
                                "--output",
                                output,
                                context.toString())
                        .withTimeout(Duration.ofMinutes(2)))
                .requireSuccess();
    }

    /** The command line, for reports. */
    public static String usage() {
        return "jurunc build -f CONTEXT/Containerfile -t REF --output oci-archive:FILE|docker-archive:FILE CONTEXT";
    }
}
