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
 * Solo5's virtio binaries on QEMU as MirageOS and Rumprun guests, through containerd's runc shim and the
 * jurunc CLI. A virtio unikernel ends with an ACPI power-off, which ends QEMU on its PC machine with
 * status 0: the container exits 0 instead of hanging after {@code solo5_exit}.
 */
@E2E
class UnikernelSolo5VirtioTest extends OnE2eEnvironment {

    private final Leftovers leftovers = Leftovers.system();

    UnikernelSolo5VirtioTest() {
        super(() -> E2eEnvironment.start(List.of(
                UnikernelImages.solo5("virtio-hello-mirage", "test_hello", "virtio", "mirage", "hello", "mirage"),
                UnikernelImages.solo5("virtio-hello-rumprun", "test_hello", "virtio", "rumprun", "hello", "rumprun"),
                UnikernelImages.solo5("virtio-net-mirage", "test_net", "virtio", "mirage", "verbose"),
                UnikernelImages.solo5("virtio-blk-mirage", "test_blk", "virtio", "mirage"),
                UnikernelImages.solo5("virtio-blk-rumprun", "test_blk", "virtio", "rumprun"))));
    }

    @Test
    void helloAsAMirageGuestEndsAndTheContainerExitsZero() {
        CommandResult r = run("virtio-hello-mirage");
        assertThat(r.stdout())
                .as(r.describe())
                .contains("Hello, World", "Command line is: 'hello mirage'", "solo5_exit(0) called");
    }

    @Test
    void helloAsARumprunGuestGetsRumprunsJsonCommandLine() {
        CommandResult r = run("virtio-hello-rumprun");
        assertThat(r.stdout())
                .as(r.describe())
                .contains("Hello, World", "Command line is: '{\"cmdline\":\"hello rumprun\"", "solo5_exit(0) called");
    }

    @Test
    void blkPassesAsAMirageAndAsARumprunGuest() {
        for (String image : List.of("virtio-blk-mirage", "virtio-blk-rumprun")) {
            CommandResult r = run(image);
            assertThat(r.stdout()).as(image + "\n" + r.describe()).contains("SUCCESS", "solo5_exit(0) called");
        }
    }

    @Test
    void netAnswersPingThroughTheTap() {
        Solo5Probe.netAnswersPingThroughTheTap(env, "virtio-net-mirage", Duration.ofSeconds(60));
    }

    private CommandResult run(String image) {
        String id = E2eEnvironment.newId(image);
        CommandResult r = env.ctr().run(env.juruncRun(image, id).withRm().withTimeout(Duration.ofSeconds(90)));
        assertThat(r.exitCode())
                .as("exit status (no hang after solo5_exit)\n" + r.describe())
                .isZero();
        assertThat(leftovers.find(env.scope(id))).isEmpty();
        return r;
    }
}
