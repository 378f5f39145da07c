package io.jurunc.builder;

import io.jurunc.builder.build.ImageBuilder;
import io.jurunc.builder.os.SystemProcessRunner;
import io.jurunc.builder.registry.BlobCache;
import io.jurunc.builder.registry.Credentials;
import io.jurunc.builder.registry.RegistryClient;
import java.nio.file.Path;

/** Image builders for tests: real registry client and tools, blobs cached under the test's directory. */
public final class TestBuilders {
    private TestBuilders() {}

    /** A builder that pulls with {@code creds}, caches blobs in {@code cache} and imports nothing into containerd. */
    public static ImageBuilder caching(Credentials creds, Path cache) {
        return new ImageBuilder(
                new RegistryClient(creds), new BlobCache(cache), (a, n, s, f) -> {}, new SystemProcessRunner());
    }
}
