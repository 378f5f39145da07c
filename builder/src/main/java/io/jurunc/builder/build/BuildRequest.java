package io.jurunc.builder.build;

import io.jurunc.builder.image.ImageReference;
import io.jurunc.builder.image.Platform;
import io.jurunc.builder.output.Output;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * One build: the context directory, the build file (null: look for Containerfile, Dockerfile or
 * bunnyfile), the image name, the platforms (empty: detect from the kernel, else the base, else
 * the host), build args, outputs, an optional host kernel to add, the fixed timestamp and the gzip
 * level.
 */
public record BuildRequest(
        Path context,
        Path buildFile,
        ImageReference name,
        List<Platform> platforms,
        Map<String, String> buildArgs,
        List<Output> outputs,
        Path kernel,
        Instant created,
        int compressionLevel) {
    public BuildRequest {
        platforms = List.copyOf(platforms);
        buildArgs = Map.copyOf(buildArgs);
        outputs = List.copyOf(outputs);
        if (compressionLevel < 0 || compressionLevel > 9) {
            throw new IllegalArgumentException("compression level must be 0..9");
        }
    }

    public static Builder builder(Path context, String name) {
        return new Builder(context, ImageReference.parse(name));
    }

    /** {@code SOURCE_DATE_EPOCH} when set, else the Unix epoch. */
    public static Instant defaultTimestamp() {
        String s = System.getenv("SOURCE_DATE_EPOCH");
        if (s != null && s.matches("\\d{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(s));
        }
        return Instant.EPOCH;
    }

    /** A fluent way to make a request (for the e2e tests and other callers). */
    public static final class Builder {
        private final Path context;
        private final ImageReference name;
        private Path buildFile;
        private final List<Platform> platforms = new ArrayList<>();
        private final Map<String, String> buildArgs = new LinkedHashMap<>();
        private final List<Output> outputs = new ArrayList<>();
        private Path kernel;
        private Instant created = defaultTimestamp();
        private int level = Deflater.BEST_SPEED;

        Builder(Path context, ImageReference name) {
            this.context = context;
            this.name = name;
        }

        public Builder file(Path f) {
            this.buildFile = f;
            return this;
        }

        public Builder platform(Platform p) {
            platforms.add(p);
            return this;
        }

        public Builder buildArg(String k, String v) {
            buildArgs.put(k, v);
            return this;
        }

        public Builder output(Output o) {
            outputs.add(o);
            return this;
        }

        public Builder kernel(Path k) {
            this.kernel = k;
            return this;
        }

        public Builder created(Instant t) {
            this.created = t;
            return this;
        }

        public Builder compressionLevel(int l) {
            this.level = l;
            return this;
        }

        public BuildRequest build() {
            return new BuildRequest(context, buildFile, name, platforms, buildArgs, outputs, kernel, created, level);
        }
    }
}
