package io.jurunc.e2e.shim;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A test class whose tests share one {@link ShimEnvironment} with the {@code plain} and {@code hello}
 * images, started before the first test and closed after the last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OnShimEnvironment {
    ShimEnvironment env;

    @BeforeAll
    void startShimEnvironment() {
        env = ShimEnvironment.start("plain", "hello");
    }

    @AfterAll
    void closeShimEnvironment() {
        if (env != null) {
            env.close();
        }
    }
}
