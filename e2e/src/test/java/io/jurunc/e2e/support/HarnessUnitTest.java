package io.jurunc.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's own logic, without root or real tools (commands go to a {@link RecordingHost}). */
class HarnessUnitTest {

    @Test
    void containerdConfigKeepsEverythingUnderItsDirectory() {
        ContainerdConfig c = ContainerdConfig.defaults(Path.of("/tmp/x"))
                .withSandboxImage("example.test/pause:1")
                .withExtraToml(
                        "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.jurunc]\n  runtime_type = \"io.containerd.jurunc.v2\"");
        String toml = c.toToml();
        assertThat(toml)
                .contains(
                        "root = \"/tmp/x/root\"",
                        "state = \"/tmp/x/state\"",
                        "address = \"/tmp/x/containerd.sock\"",
                        "address = \"/tmp/x/containerd.sock.ttrpc\"",
                        "path = \"/tmp/x/opt\"",
                        "sandbox_image = \"example.test/pause:1\"",
                        "conf_dir = \"/tmp/x/cni/net.d\"",
                        "netns_mounts_under_state_dir = true",
                        "\"io.containerd.snapshotter.v1.devmapper\"",
                        "runtime_type = \"io.containerd.jurunc.v2\"");
        assertThat(toml.indexOf("[plugins.\"io.containerd.grpc.v1.cri\".cni]"))
                .isLessThan(toml.indexOf("runtimes.jurunc]"));
    }

    @Test
    void containerdConfigRejectsDirectoriesTooLongForASocket() {
        assertThatThrownBy(() -> ContainerdConfig.defaults(Path.of("/tmp/" + "d".repeat(100))))
                .hasMessageContaining("too long for a unix socket");
        assertThatThrownBy(() -> ContainerdConfig.defaults(Path.of("relative"))).hasMessageContaining("absolute");
    }

    @Test
    void ctrRunPassesEveryFlagBeforeImageAndId(@TempDir Path tmp) {
        RecordingHost host = new RecordingHost();
        Ctr ctr = new Ctr(host, tmp.resolve("c.sock"), "ns1", tmp);
        ctr.run(RunSpec.of("img:1", "c1", "/bin/busybox", "sh", "-c", "echo $FOO")
                .withRm()
                .withRuncBinary(Path.of("/opt/jurunc"))
                .withRuncRoot(tmp.resolve("rr"))
                .withEnv("FOO=bar")
                .withTimeout(Duration.ofSeconds(7)));
        Command c = host.commands().getFirst();
        assertThat(c.argv())
                .containsExactly(
                        "ctr",
                        "--address",
                        tmp.resolve("c.sock").toString(),
                        "--namespace",
                        "ns1",
                        "run",
                        "--fifo-dir",
                        tmp.resolve("fifo").toString(),
                        "--rm",
                        "--runc-binary",
                        "/opt/jurunc",
                        "--runc-root",
                        tmp.resolve("rr").toString(),
                        "--env",
                        "FOO=bar",
                        "img:1",
                        "c1",
                        "/bin/busybox",
                        "sh",
                        "-c",
                        "echo $FOO");
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void runSpecRejectsBadIdsAndEnv() {
        assertThatThrownBy(() -> RunSpec.of("img", "-bad")).hasMessageContaining("bad container id");
        assertThatThrownBy(() -> RunSpec.of("img", "ok").withEnv("NOEQUALS")).hasMessageContaining("NAME=value");
    }

    @Test
    void cniNetworkWritesABridgeConflistAndWrapsCtrInAPrivateMount() throws Exception {
        RecordingHost host =
                new RecordingHost().answering(c -> RecordingHost.ok(c, "1: lo    inet 127.0.0.1/8 scope host lo\n"));
        String bridgeName;
        Path dir;
        try (CniNetwork net = CniNetwork.create(host)) {
            bridgeName = net.bridge();
            dir = net.confDir().getParent();
            Path conf;
            try (var files = Files.list(net.confDir())) {
                conf = files.findFirst().orElseThrow();
            }
            JsonNode json = new ObjectMapper().readTree(conf.toFile());
            JsonNode bridge = json.get("plugins").get(0);
            assertThat(json.get("name").asText()).isEqualTo(net.name());
            assertThat(bridge.get("type").asText()).isEqualTo("bridge");
            assertThat(bridge.get("bridge").asText()).isEqualTo(net.bridge()).hasSizeLessThanOrEqualTo(15);
            assertThat(bridge.get("isGateway").asBoolean()).isTrue();
            assertThat(bridge.at("/ipam/type").asText()).isEqualTo("host-local");
            assertThat(bridge.at("/ipam/ranges/0/0/subnet").asText())
                    .isEqualTo(net.subnet())
                    .startsWith("10.");
            assertThat(bridge.at("/ipam/routes/0/dst").asText()).isEqualTo("0.0.0.0/0");

            List<String> wrapped = net.wrapForCtr(List.of("ctr", "run", "x"));
            assertThat(wrapped.subList(0, 4)).containsExactly("unshare", "--mount", "--propagation", "private");
            assertThat(wrapped).containsSubsequence(net.confDir().toString(), "ctr", "run", "x");
            assertThat(String.join(" ", wrapped)).contains("mount --bind \"$1\" /etc/cni/net.d");

            Path leases = net.leaseDir().resolve(net.name());
            Files.createDirectories(leases);
            String ip = net.gateway().replaceFirst("1$", "7");
            Files.writeString(leases.resolve(ip), "ns1-c1\neth0");
            assertThat(net.containerIp("ns1", "c1")).contains(ip);
            assertThat(net.containerIp("ns1", "c2")).isEmpty();
            assertThat(net.heldLeases()).containsExactly(ip);
        }
        assertThat(host.argvs())
                .endsWith(
                        List.of("ip", "link", "show", "dev", bridgeName),
                        List.of("ip", "link", "delete", "dev", bridgeName));
        assertThat(dir).doesNotExist();
    }

    @Test
    void cniNetworkAvoidsSubnetsInUse() {
        StringBuilder used = new StringBuilder();
        for (int a = 200; a < 250; a++) {
            for (int b = 0; b < 256; b++) {
                if (b != 77) {
                    used.append("inet 10.").append(a).append('.').append(b).append(".1/24\n");
                }
            }
        }
        RecordingHost host = new RecordingHost().answering(c -> RecordingHost.ok(c, used.toString()));
        List<String> subnets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (CniNetwork net = CniNetwork.create(host)) {
                subnets.add(net.subnet());
            } catch (HarnessException e) {
                subnets.add("none");
            }
        }
        assertThat(subnets).allMatch(s -> s.equals("none") || s.matches("10\\.2\\d\\d\\.77\\.0/24"));
    }

    @Test
    void procFsReadsProcessesMountsAndDescendants(@TempDir Path proc) throws Exception {
        fakeProcess(proc, 10, 1, "containerd-shim-runc-v2\0-address\0/tmp/a.sock\0");
        fakeProcess(proc, 11, 10, "qemu-system-x86_64\0-name\0c1\0");
        fakeProcess(proc, 12, 11, "sleep\0");
        fakeProcess(proc, 20, 1, "unrelated\0");
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("self/mountinfo"), """
                22 1 0:21 / /tmp/ctrd/state/x/rootfs rw - overlay overlay rw
                23 22 0:22 / /tmp/ctrd/state/x/rootfs/proc rw - proc proc rw
                24 1 0:23 / /tmp/ctrd\\040other rw - tmpfs tmpfs rw
                25 1 0:24 / /srv rw - ext4 /dev/vda rw
                """);
        ProcFs fs = new ProcFs(proc);
        assertThat(fs.processes()).extracting(ProcFs.Proc::pid).containsExactly(10L, 11L, 12L, 20L);
        assertThat(fs.process(12).orElseThrow().key()).isEqualTo("12:1012");
        assertThat(fs.descendants(10)).extracting(ProcFs.Proc::pid).containsExactly(11L, 12L);
        assertThat(fs.process(11).orElseThrow().argvContains("c1")).isTrue();
        assertThat(fs.mountPointsUnder(Path.of("/tmp/ctrd")))
                .containsExactly(Path.of("/tmp/ctrd/state/x/rootfs/proc"), Path.of("/tmp/ctrd/state/x/rootfs"));
        assertThat(ProcFs.unescape("/a\\040b")).isEqualTo("/a b");
    }

    @Test
    void leftoversReportsProcessesAndPaths(@TempDir Path tmp) throws Exception {
        Path proc = tmp.resolve("proc");
        fakeProcess(proc, 11, 1, "qemu-system-x86_64\0-name\0e2e-c1-abcdef\0");
        Path state = Files.createDirectories(tmp.resolve("root/e2e-c1-abcdef"));
        Leftovers l = new Leftovers(new ProcFs(proc), new RecordingHost());
        assertThat(l.find(Leftovers.Scope.of("e2e-c1-abcdef", state)))
                .anyMatch(s -> s.startsWith("process 11 still runs: qemu-system-x86_64"))
                .anyMatch(s -> s.equals("path still exists: " + state));
        assertThat(l.find(Leftovers.Scope.of("e2e-c2-abcdef", tmp.resolve("gone"))))
                .isEmpty();
        Files.createDirectories(tmp.resolve("run/runc/ns/e2e-c3-abcdef"));
        assertThat(l.find(Leftovers.Scope.of("e2e-c3-abcdef").withSearchRoot(tmp.resolve("run"))))
                .containsExactly("left behind: " + tmp.resolve("run/runc/ns/e2e-c3-abcdef"));
        assertThatThrownBy(() -> Leftovers.Scope.of("c1")).hasMessageContaining("specific");
    }

    @Test
    void shimSocketMatchesContainerd16Naming() {
        // sha256("/tmp/a.sock/ns/id"), as containerd 1.6 shim.SocketAddress computes it
        assertThat(PrivateContainerd.shimSocket("/tmp/a.sock", "ns", "id").toString())
                .startsWith("/run/containerd/s/")
                .hasSize("/run/containerd/s/".length() + 64);
    }

    @Test
    void cleanupRunsEveryStepInReverseAndKeepsAllFailures() {
        List<String> ran = new ArrayList<>();
        Cleanup c = new Cleanup();
        c.defer("first", () -> ran.add("first"));
        c.defer("fails", () -> {
            ran.add("fails");
            throw new IllegalStateException("boom");
        });
        c.defer("last", () -> {
            ran.add("last");
            throw new IllegalStateException("bang");
        });
        assertThatThrownBy(c::close)
                .hasMessageContaining("last")
                .hasMessageContaining("bang")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
        assertThat(ran).containsExactly("last", "fails", "first");
    }

    @Test
    void commandResultDescribesFailures() {
        Command cmd = Command.of("false").withTimeout(Duration.ofSeconds(1));
        CommandResult r = new CommandResult(cmd, 1, "out", "err", Duration.ofMillis(5), false);
        assertThatThrownBy(r::requireSuccess)
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("$ false")
                .hasMessageContaining("exit 1")
                .hasMessageContaining("err");
    }

    @Test
    void umociBuilderParsesCmdArrays() {
        assertThat(UmociImageBuilder.jsonArray("[\"/bin/busybox\", \"echo\", \"a \\\"b\\\"\"]"))
                .containsExactly("/bin/busybox", "echo", "a \"b\"");
    }

    private static void fakeProcess(Path proc, long pid, long ppid, String cmdline) throws Exception {
        fakeProcess(proc, pid, ppid, cmdline, 1000 + pid, null);
    }

    private static void fakeProcess(Path proc, long pid, long ppid, String cmdline, long start, String netns)
            throws Exception {
        Path d = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(d.resolve("cmdline"), cmdline);
        // fields 3.. of /proc/PID/stat; field 22 is the start time
        Files.writeString(
                d.resolve("stat"),
                pid + " (x y) S " + ppid + " 0 0 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 " + start + " 0 0\n");
        if (netns != null) {
            Files.createDirectories(d.resolve("ns"));
            Files.createSymbolicLink(d.resolve("ns/net"), Path.of(netns));
        }
    }

    @Test
    void netnsFindingsIgnoreAReusedInodeButCatchTheRecordedHolders(@TempDir Path tmp) throws Exception {
        Path proc = tmp.resolve("proc");
        fakeProcess(proc, 11, 1, "qemu-system-x86_64\0-kernel\0/k\0", 500, "net:[4026532470]");
        Leftovers l = new Leftovers(new ProcFs(proc), new RecordingHost());
        ProcFs.Proc monitor = new ProcFs(proc).process(11).orElseThrow();
        Leftovers.NetnsRecord rec = l.recordNetns(11).orElseThrow();
        assertThat(rec.holders()).containsExactly("11:500");
        Leftovers.Scope scope =
                Leftovers.Scope.of("e2e-kill-abcdef").withNetns(rec).withProcess(monitor);

        assertThat(l.find(scope))
                .anyMatch(f -> f.startsWith("recorded process 11 is still alive"))
                .anyMatch(f -> f.contains("still held by process 11"));

        FileTrees.deleteRecursively(proc.resolve("11"));
        fakeProcess(proc, 11, 1, "sleep\0", 900, null); // pid reused by another process
        fakeProcess(proc, 12, 1, "qemu-system-x86_64\0other\0", 901, "net:[4026532470]"); // inode reused
        assertThat(l.find(scope)).isEmpty();

        fakeProcess(proc, 13, 1, "helper\0e2e-kill-abcdef\0", 902, "net:[4026532470]");
        assertThat(l.find(scope))
                .anyMatch(f -> f.contains("still held by process 13"))
                .anyMatch(f -> f.startsWith("process 13 still runs"));
    }
}
