package io.jurunc.shim.start;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.runtime.metadata.MetadataReader;
import io.jurunc.runtime.metadata.UnikernelMetadata;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.MonitorType;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The daemon's warm-up for its first container: every part of it runs through (a part that failed would be
 * logged, and the first Create would pay for it again), on a daemon thread of its own, and the spec it binds
 * is a microVM's, so that it takes the first Create's path through the unikernel metadata.
 */
class FirstContainerWarmUpTest {
    @Test
    void everyPartRunsThroughOnADaemonThread() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();

        Thread t = FirstContainerWarmUp.start(log::add);

        assertThat(t.isDaemon())
                .as("the warm-up never keeps the daemon's JVM alive")
                .isTrue();
        t.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(t.isAlive()).isFalse();
        assertThat(log).isEmpty();
    }

    @Test
    void theSpecItBindsIsAMicroVmsAsTheFirstCreateReadsIt() throws Exception {
        io.jurunc.oci.Spec spec =
                io.jurunc.oci.Json.mapper().readValue(FirstContainerWarmUp.SPEC, io.jurunc.oci.Spec.class);

        Optional<UnikernelMetadata> md = MetadataReader.read(spec.annotations(), null);

        assertThat(md).isPresent();
        assertThat(md.get().guest()).isEqualTo(GuestType.parse("linux"));
        assertThat(md.get().monitor()).isEqualTo(MonitorType.parse("qemu"));
        assertThat(spec.linux().namespaces()).hasSize(5);
    }
}
