package io.jurunc.e2e.unikernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.E2eEnvironment;
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.OnE2eEnvironment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Unikraft 0.17 helloworld in an image built from a bunnyfile, run through containerd's runc shim and
 * the jurunc CLI: it prints its arguments (the image's cmd, or the ones {@code ctr run} gives) and halts,
 * which ends QEMU and the container with status 0.
 */
@E2E
class UnikernelUnikraftHelloTest extends OnE2eEnvironment {

    private final Leftovers leftovers = Leftovers.system();

    UnikernelUnikraftHelloTest() {
        super(() -> E2eEnvironment.start(List.of(UnikernelImages.helloworldBunny("uk-hello-bunny"))));
    }

    @Test
    void helloworldPrintsTheImagesArguments() {
        CommandResult r = run(E2eEnvironment.newId("uk-hello"));
        assertThat(r.stdout()).as(r.describe()).contains("Hello world!", "hello", "from", "a", "bunnyfile");
    }

    @Test
    void helloworldPrintsTheArgumentsCtrRunGives() {
        CommandResult r = run(E2eEnvironment.newId("uk-hello"), "given", "on-the-command-line");
        assertThat(r.stdout())
                .as(r.describe())
                .contains("Hello world!", "given", "on-the-command-line")
                .doesNotContain("bunnyfile");
    }

    private CommandResult run(String id, String... args) {
        CommandResult r =
                env.ctr().run(env.juruncRun("uk-hello-bunny", id, args).withRm().withTimeout(Duration.ofSeconds(90)));
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(leftovers.find(env.scope(id))).isEmpty();
        return r;
    }
}
