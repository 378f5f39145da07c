package io.jurunc.e2e.support;

import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A test class whose tests share one {@link E2eEnvironment}, started by the subclass's supplier
 * (its images, with or without jurunc's shim) before the first test and closed after the last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class OnE2eEnvironment {
    private final Supplier<E2eEnvironment> start;
    protected E2eEnvironment env;

    protected OnE2eEnvironment(Supplier<E2eEnvironment> start) {
        this.start = start;
    }

    @BeforeAll
    final void startE2eEnvironment() {
        env = start.get();
    }

    @AfterAll
    final void closeE2eEnvironment() {
        if (env != null) {
            env.close();
        }
    }
}
