package io.jurunc.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.runtime.vm.BlockDevice;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.SharedDir;
import io.jurunc.runtime.vm.TestSpecs;
import io.jurunc.runtime.vm.VmSpec;
import io.jurunc.runtime.vm.Vsock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VM plan is persisted as the {@link VmSpec} itself: it comes back equal, without its network. */
class PlanRecordTest {
    @TempDir
    Path tmp;

    private ContainerRecord roundTrip(ContainerRecord r) throws Exception {
        StateStore store = new StateStore(tmp);
        store.createDir(new ContainerId(r.id()));
        store.save(r);
        return store.load(new ContainerId(r.id()));
    }

    @Test
    void everyPartOfThePlanComesBackAndTheNetworkIsNeverWritten() throws Exception {
        VmSpec plan = TestSpecs.of(GuestType.parse("linux"), MonitorType.parse("qemu"))
                .initrd()
                .block(new BlockDevice("rootfs", Path.of("/run/c1/disk with space.img"), "/data", "ext4"))
                .share(SharedDir.directory("s1", Path.of("/srv/data"), true))
                .vsock(new Vsock(7, Path.of("/run/jurunc/c1/vaccel.sock")))
                .version("0.17.0")
                .args("/bin/app", "--flag")
                .env("A=1")
                .net()
                .build();
        ContainerRecord r = roundTrip(ContainerRecord.creating("1.0.2", "c1", "/b", "now", Map.of(), null)
                .withPlan(plan));
        assertThat(r.plan()).isEqualTo(plan.withNet(Optional.empty()));
        assertThat(r.vsockCid()).contains(7L);
        assertThat(r.fromEarlierVersion()).isFalse();
        String json = Files.readString(tmp.resolve("c1/jurunc.json"));
        assertThat(json)
                .contains("\"kernel\":\"" + TestSpecs.KERNEL + "\"") // a path as a plain string
                .contains("\"unikernelVersion\":\"0.17.0\"")
                .doesNotContain("\"net\":{", "10.4.0.2", "\"vm\":");
    }

    @Test
    void aRecordWithoutAPlanYetHasNoCid() throws Exception {
        ContainerRecord r = roundTrip(ContainerRecord.creating("1.0.2", "c2", "/b", "now", Map.of(), "/run/netns/x"));
        assertThat(r.plan()).isNull();
        assertThat(r.vsockCid()).isEmpty();
        assertThat(r.netnsPath()).isEqualTo("/run/netns/x");
    }
}
