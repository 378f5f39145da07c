package io.jurunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.E2eEnvironment;
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.OnE2eEnvironment;
import org.junit.jupiter.api.Test;

/** An ordinary image (no com.urunc.* metadata) under {@code --runc-binary jurunc} goes to runc. */
@E2E
class RuncHandoverTest extends OnE2eEnvironment {

    RuncHandoverTest() {
        super(() -> E2eEnvironment.start("plain"));
    }

    @Test
    void aPlainBusyboxContainerRunsAsAnOrdinaryContainer() {
        String id = E2eEnvironment.newId("plain");
        CommandResult run = env.ctr()
                .run(env.juruncRun(
                                "plain", id, "/bin/busybox", "sh", "-c", "echo pid1=$$ kernel=$(/bin/busybox uname -r)")
                        .withRm());

        assertThat(run.succeeded()).as(run.describe()).isTrue();
        // runc's container: the shell is pid 1 and shares the host's kernel (no VM booted)
        String hostKernel = System.getProperty("os.version");
        assertThat(run.stdout()).as(run.describe()).contains("pid1=1 kernel=" + hostKernel);
        assertThat(Leftovers.system().find(env.scope(id))).isEmpty();
    }
}
