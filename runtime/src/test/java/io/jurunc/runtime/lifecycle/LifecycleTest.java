package io.jurunc.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.oci.State;
import io.jurunc.runtime.host.Stdio;
import io.jurunc.runtime.state.ContainerNotFoundException;
import io.jurunc.runtime.state.ContainerStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {
    @TempDir
    Path tmp;

    Path root;
    Path bundle;
    Fakes.World w;
    String ns;

    @BeforeEach
    void setUp() throws Exception {
        root = tmp.resolve("root");
        bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle.resolve("rootfs/boot"));
        Files.writeString(bundle.resolve("rootfs/boot/kernel"), "ELF");
        w = Fakes.world(root);
        ns = Files.createFile(tmp.resolve("netns-cni-1")).toString(); // stands for a bind-mounted netns
    }

    private void config(String annotations, String netns) throws Exception {
        Files.writeString(bundle.resolve("config.json"), """
        {"ociVersion":"1.0.2","process":{"args":["/bin/echo","hi there"],"env":["A=1"],"cwd":"/srv",
          "user":{"uid":1000,"gid":1000}},
         "root":{"path":"rootfs"},"hostname":"h1","annotations":{%s},
         "linux":{"namespaces":[{"type":"network"%s}],"resources":{"memory":{"limit":134217728}}}}
        """.formatted(
                        annotations, netns == null ? "" : ",\"path\":\"" + netns + "\""));
    }

    private CreateOperation.Created create(String id) throws Exception {
        return new CreateOperation(w.ctx())
                .run(new CreateRequest(
                        id,
                        Bundle.load(bundle),
                        Optional.of(tmp.resolve("init.pid")),
                        Optional.empty(),
                        Stdio.INHERIT));
    }

    private static final String LINUX_QEMU =
            "\"com.urunc.unikernel.unikernelType\":\"linux\",\"com.urunc.unikernel.hypervisor\":\"qemu\"";

    @Test
    void createLeavesAWaiterAndStartSetsUpTheNetworkAndReleasesIt() throws Exception {
        config(LINUX_QEMU, ns);
        var created = create("c1");
        long pid = created.record().pid();
        assertThat(Files.readString(tmp.resolve("init.pid"))).isEqualTo(Long.toString(pid));
        assertThat(w.network().calls).isEmpty(); // ctr --cni configures the netns only after create
        var atCreate = w.planner().checked.getFirst();
        assertThat(atCreate.net()).isEmpty();
        assertThat(atCreate.memoryBytes()).isEqualTo(134217728L);
        assertThat(atCreate.hostname()).isEqualTo("h1");
        assertThat(atCreate.initrd()).contains(root.resolve("c1/initramfs.cpio"));
        assertThat(w.packer().packed.getFirst().args()).containsExactly("/bin/echo", "hi there");
        assertThat(w.packer().packed.getFirst().uid()).isEqualTo(1000);
        var argv = w.host().spawned.getFirst();
        assertThat(argv)
                .containsExactly(
                        tmp.resolve("jurunc-sandbox").toString(),
                        "jurunc-waiter",
                        root.resolve("c1").toString(),
                        "--netns",
                        ns);
        State st = new StateQuery(w.ctx()).run("c1");
        assertThat(st.status()).isEqualTo("created");
        assertThat(st.pid()).isEqualTo((int) pid);
        assertThat(st.annotations()).containsEntry("com.urunc.unikernel.hypervisor", "qemu");

        new StartOperation(w.ctx()).run("c1");
        assertThat(w.network().calls)
                .containsExactly("setup " + ns + " c1 owner 1000:1000"); // the tap is the monitor's
        var atStart = w.planner().planned.getFirst();
        assertThat(atStart.net()).isPresent();
        assertThat(atStart.seccomp()).isTrue(); // the monitor sandboxes itself whatever the spec says
        String launch = Files.readString(root.resolve("c1/monitor.launch")).replace('\0', '|');
        assertThat(launch)
                .startsWith("root=" + root.resolve("c1/root") + "|rox=/usr|")
                .contains("|ro=" + root.resolve("c1/initramfs.cpio") + "|", "|dev=/dev/net/tun|", "|uid=1000|gid=1000|")
                .contains("|ro=" + root.resolve("c1/monitor.json") + "|")
                .endsWith("|arg=/usr/bin/fake-monitor|arg=-kernel|arg=" + root.resolve("c1/kit-vmlinuz") + "|exitfd=3|")
                .doesNotContain("A=1"); // the container's environment goes to the guest, not to the monitor
        assertThat(Files.readString(root.resolve("c1/monitor.json"))).isEqualTo("{}");
        assertThat(w.host().pokes).containsExactly(root.resolve("c1/start.fifo"));
        assertThat(new StateQuery(w.ctx()).run("c1").status()).isEqualTo("running");
    }

    @Test
    void withoutAPathStartUsesTheWaitersOwnNetns() throws Exception {
        config(LINUX_QEMU, null);
        long pid = create("c0").record().pid();
        new StartOperation(w.ctx()).run("c0");
        assertThat(w.network().calls).containsExactly("setup /proc/" + pid + "/ns/net c0 owner 1000:1000");
    }

    @Test
    void withoutANetnsPathTheWaiterGetsAFreshNetns() throws Exception {
        config(LINUX_QEMU, null);
        create("c2");
        assertThat(w.network().calls).isEmpty();
        assertThat(w.host().spawned.getFirst())
                .endsWith("jurunc-waiter", root.resolve("c2").toString(), "--new-net");
    }

    @Test
    void startKillDeleteFollowTheStatusRules() throws Exception {
        config(LINUX_QEMU, ns);
        long pid = create("c3").record().pid();
        new DeleteOperation(w.ctx()).run("c3", false);
        // created containers are deleted like runc does: the waiter is killed
        assertThat(w.host().signals).containsExactly(pid + ":9");
        assertThat(w.network().calls).contains("teardown " + ns + " c3");
        assertThat(Files.exists(root.resolve("c3"))).isFalse();
    }

    @Test
    void aForcedDeleteOfAProcessThatOutlivesSigkillWaitsTwoSecondsOnTheHostsClockThenGoesOn() throws Exception {
        config(LINUX_QEMU, ns);
        long pid = create("c5").record().pid();
        new StartOperation(w.ctx()).run("c5");
        w.host().unkillable.add(pid);
        long before = w.host().now;
        new DeleteOperation(w.ctx()).run("c5", true);
        assertThat(w.host().signals).containsExactly(pid + ":9");
        assertThat(w.host().now - before)
                .as("2 s of the host's clock, none of it real")
                .isBetween(DeleteOperation.EXIT_WAIT.toNanos(), DeleteOperation.EXIT_WAIT.toNanos() + 10_000_000L);
        assertThat(w.log()).anyMatch(l -> l.contains("process " + pid + " still there 2000 ms after SIGKILL"));
        assertThat(Files.exists(root.resolve("c5"))).isFalse();
    }

    @Test
    void aDeleteRemovesTheGeneratedFilesThroughTheHost() throws Exception {
        config(LINUX_QEMU, ns);
        create("c6");
        var r = w.ctx().store().load(CreateOperation.parseId("c6"));
        Path generated = Files.writeString(tmp.resolve("fc.json"), "{}");
        w.ctx().store().save(r.planned(null, r.monitorArgv(), java.util.List.of(generated.toString())));
        new DeleteOperation(w.ctx()).run("c6", false);
        assertThat(w.host().deleted).containsExactly(generated);
        assertThat(generated).doesNotExist();
    }

    @Test
    void aSandboxHelperThatCannotBeExecutedFailsCreateBeforeAnythingIsMade() throws Exception {
        config(LINUX_QEMU, ns);
        Path helper = w.ctx().config().sandbox().helperPath();
        assertThat(helper.toFile().setExecutable(false)).isTrue();
        assertThatThrownBy(() -> create("c7"))
                .isInstanceOf(io.jurunc.runtime.sandbox.SandboxSetupException.class)
                .hasMessageContaining("the sandbox helper " + helper + " is missing or not executable");
        assertThat(w.host().spawned).isEmpty();
        assertThat(root.resolve("c7")).doesNotExist();
    }

    @Test
    void runningContainerNeedsForceToDelete() throws Exception {
        config(LINUX_QEMU, null);
        long pid = create("c4").record().pid();
        // After start, the recording host still shows the waiter's cmdline-less process: start checks /proc
        // for the real cmdline, which does not exist for a fake pid, so it counts as exec'd.
        new StartOperation(w.ctx()).run("c4");
        assertThat(new StateQuery(w.ctx()).run("c4").status()).isEqualTo("running");
        assertThatThrownBy(() -> new StartOperation(w.ctx()).run("c4"))
                .isInstanceOf(ContainerStateException.class)
                .hasMessageContaining("running");
        assertThatThrownBy(() -> new DeleteOperation(w.ctx()).run("c4", false))
                .isInstanceOf(ContainerStateException.class)
                .hasMessageContaining("--force");
        new KillOperation(w.ctx()).run("c4", 28, false);
        assertThat(w.host().signals).containsExactly(pid + ":28");
        assertThat(new StateQuery(w.ctx()).run("c4").status()).isEqualTo("running");
        new KillOperation(w.ctx()).run("c4", 15, false);
        State stopped = new StateQuery(w.ctx()).run("c4");
        assertThat(stopped.status()).isEqualTo("stopped");
        assertThat(stopped.pid()).isZero();
        assertThatThrownBy(() -> new KillOperation(w.ctx()).run("c4", 15, false))
                .isInstanceOf(ContainerStateException.class)
                .hasMessageStartingWith(KillOperation.NOT_RUNNING); // runc's text, which containerd matches
        new DeleteOperation(w.ctx()).run("c4", false);
        assertThatThrownBy(() -> new StateQuery(w.ctx()).run("c4")).isInstanceOf(ContainerNotFoundException.class);
    }

    @Test
    void aFailedCreateLeavesNothingBehind() throws Exception {
        config(LINUX_QEMU, ns);
        w.host().failSpawn = true;
        assertThatThrownBy(() -> create("c5")).hasMessageContaining("boom");
        assertThat(root.resolve("c5")).doesNotExist();
        assertThat(w.network().calls).isEmpty();
        assertThat(tmp.resolve("init.pid")).doesNotExist();
    }

    @Test
    void unsupportedPairFailsBeforeAnythingIsMade() throws Exception {
        config(
                "\"com.urunc.unikernel.unikernelType\":\"rumprun\",\"com.urunc.unikernel.hypervisor\":\"qemu\","
                        + "\"com.urunc.unikernel.binary\":\"/boot/kernel\"",
                ns);
        assertThatThrownBy(() -> create("c6")).hasMessageContaining("hvt or spt");
        assertThat(root.resolve("c6")).doesNotExist();
        assertThat(w.network().calls).isEmpty();
    }

    @Test
    void unikernelsBootTheirOwnKernelWithoutPacking() throws Exception {
        config(
                "\"com.urunc.unikernel.unikernelType\":\"unikraft\",\"com.urunc.unikernel.hypervisor\":\"qemu\","
                        + "\"com.urunc.unikernel.binary\":\"/boot/kernel\"",
                null);
        create("c7");
        assertThat(w.packer().packed).isEmpty();
        assertThat(w.planner().checked.getFirst().kernel())
                .isEqualTo(bundle.resolve("rootfs/boot/kernel").toRealPath());
    }

    @Test
    void missingKernelNamesTheKeyAndLeavesNothing() throws Exception {
        config(
                "\"com.urunc.unikernel.unikernelType\":\"unikraft\",\"com.urunc.unikernel.hypervisor\":\"qemu\","
                        + "\"com.urunc.unikernel.binary\":\"/boot/missing\"",
                null);
        assertThatThrownBy(() -> create("c8"))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("com.urunc.unikernel.binary")
                .hasMessageContaining("not found");
        assertThat(root.resolve("c8")).doesNotExist();
    }

    @Test
    void duplicateIdsAndBadIdsAreRefused() throws Exception {
        config(LINUX_QEMU, null);
        create("c9");
        assertThatThrownBy(() -> create("c9")).hasMessageContaining("already exists");
        assertThatThrownBy(() -> create("../evil")).hasMessageContaining("invalid container id");
        assertThat(new StateQuery(w.ctx()).run("c9").status()).isEqualTo(ContainerStatus.CREATED.ociName());
    }

    @Test
    void vaccelOverVsockGivesTheGuestADeviceAndTheAgentAddress() throws Exception {
        config(
                LINUX_QEMU
                        + ",\"com.urunc.unikernel.vAccel\":\"vsock\",\"com.urunc.unikernel.RPCAddress\":\"vsock://2:2049\"",
                null);
        create("v1");
        var spec = w.planner().checked.getFirst();
        assertThat(spec.vsock()).isPresent();
        assertThat(spec.vsock().get().udsPath()).isEqualTo(root.resolve("v1/vaccel.sock"));
        assertThat(spec.env()).contains("VACCEL_RPC_ADDRESS=vsock://2:2049", "VACCEL_PLUGINS=libvaccel-rpc.so", "A=1");
        assertThat(w.packer().packed.getFirst().env()).contains("VACCEL_RPC_ADDRESS=vsock://2:2049");
        if (!Files.exists(Path.of("/dev/vhost-vsock"))) {
            // the monitor's root gets /dev/vhost-vsock; a host without it fails start clearly
            assertThatThrownBy(() -> new StartOperation(w.ctx()).run("v1")).hasMessageContaining("/dev/vhost-vsock");
        }
    }

    @Test
    void aUnikraftEnvironmentOnTheCommandLineIsWarnedAboutByNameNeverByValue() throws Exception {
        config(
                "\"com.urunc.unikernel.unikernelType\":\"unikraft\",\"com.urunc.unikernel.hypervisor\":\"qemu\","
                        + "\"com.urunc.unikernel.binary\":\"/boot/kernel\"",
                null);
        create("u1");
        assertThat(w.log())
                .anyMatch(
                        l -> l.contains("warning: container u1: Unikraft") && l.contains("(A)") && !l.contains("A=1"));
    }

    @Test
    void vsockCidsAreUniquePerContainerAndFreedOnDelete() throws Exception {
        // before: the CID was 3 + hash(id) mod 2^31-3, so two ids could share one
        config(LINUX_QEMU + ",\"com.urunc.unikernel.vAccel\":\"vsock\"", null);
        create("v3");
        create("v4");
        long cid3 = w.planner().checked.get(0).vsock().orElseThrow().guestCid();
        long cid4 = w.planner().checked.get(1).vsock().orElseThrow().guestCid();
        assertThat(cid3).isEqualTo(3);
        assertThat(cid4).isEqualTo(4);
        new DeleteOperation(w.ctx()).run("v3", false);
        create("v5");
        assertThat(w.planner().checked.get(2).vsock().orElseThrow().guestCid()).isEqualTo(3);
    }

    @Test
    void vaccelAddressMustMatchTheTransport() throws Exception {
        config(
                LINUX_QEMU
                        + ",\"com.urunc.unikernel.vAccel\":\"tcp\",\"com.urunc.unikernel.RPCAddress\":\"vsock://2:2049\"",
                null);
        assertThatThrownBy(() -> create("v2"))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("RPCAddress");
        assertThat(root.resolve("v2")).doesNotExist();
    }

    @Test
    void startWaitsForTheWaiterToOpenItsFifo() throws Exception {
        config(LINUX_QEMU, null);
        create("f1");
        w.host().unreadyPokes = 3; // the waiter has not opened the FIFO yet
        new StartOperation(w.ctx()).run("f1");
        assertThat(w.host().pokes).hasSize(4);
    }

    @Test
    void startFailsWhenTheWaiterIsGone() throws Exception {
        config(LINUX_QEMU, null);
        long pid = create("f2").record().pid();
        w.host().procs.remove(pid);
        w.host().unreadyPokes = 100;
        assertThatThrownBy(() -> new StartOperation(w.ctx()).run("f2")).isInstanceOf(ContainerStateException.class);
    }

    @Test
    void startOfARunningContainerIsAStateErrorButNotAGoneWaiter() throws Exception {
        config(LINUX_QEMU, null);
        create("f3");
        new StartOperation(w.ctx()).run("f3");
        assertThatThrownBy(() -> new StartOperation(w.ctx()).run("f3"))
                .isInstanceOfSatisfying(
                        ContainerStateException.class,
                        e -> assertThat(e.waiterGone()).isFalse());
    }

    @Test
    void aMissingNetnsPathFailsCreateAndLeavesNothing() throws Exception {
        config(LINUX_QEMU, tmp.resolve("no-such-netns").toString());
        assertThatThrownBy(() -> create("n1"))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("no-such-netns")
                .hasMessageContaining("does not exist");
        assertThat(root.resolve("n1")).doesNotExist();
        assertThat(w.host().spawned).isEmpty();
    }

    @Test
    void startWaitsUntilTheWaiterIsInItsNamespacesBeforeTouchingTheNetwork() throws Exception {
        config(LINUX_QEMU, null);
        w.host().waiterNeverReady = true;
        create("r1"); // its waiter lives but never reaches its namespaces
        assertThatThrownBy(() -> new StartOperation(w.ctx()).run("r1"))
                .isInstanceOf(ContainerStateException.class)
                .hasMessageContaining("did not enter its namespaces");
        assertThat(w.network().calls).isEmpty();
        assertThat(w.host().pokes).isEmpty();
    }
}
