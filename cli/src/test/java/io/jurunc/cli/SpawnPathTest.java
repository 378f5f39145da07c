package io.jurunc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real spawn path, through the jurunc CLI in a separate JVM, for every monitor, with a
 * recording fake monitor: create leaves a waiter whose pid is in --pid-file; start makes that same
 * pid, confined by the sandbox helper (its own uid, no capabilities, a minimal root), the init that
 * forks the monitor inside the container's netns, with the planned argv (tap included), not the
 * container's environment, and as confined; kill stops it; delete leaves no tap or state.
 */
class SpawnPathTest {
    @TempDir
    Path tmp;

    String netns;

    @BeforeEach
    void netns() throws Exception {
        assumeTrue(isRoot(), "needs root to create a network namespace");
        netns = "jt" + ProcessHandle.current().pid() + "x" + System.nanoTime() % 100000;
        String h = "vh" + netns.substring(2, Math.min(netns.length(), 12));
        sh("ip netns add " + netns);
        sh("ip link add " + h + " type veth peer name eth0 netns " + netns);
        sh("ip -n " + netns + " addr add 10.213.7.2/24 dev eth0");
        sh("ip -n " + netns + " link set eth0 address 02:aa:bb:cc:dd:02 up");
        sh("ip -n " + netns + " link set lo up");
        sh("ip -n " + netns + " route add default via 10.213.7.1");
    }

    @AfterEach
    void cleanup() throws Exception {
        if (netns != null) run(List.of("ip", "netns", "del", netns));
    }

    @ParameterizedTest
    @CsvSource({
        "linux,qemu",
        "linux,firecracker",
        "linux,cloud-hypervisor",
        "rumprun,hvt",
        "mirage,spt",
        "unikraft,qemu"
    })
    void everyMonitorRunsUnderTheContainersProcess(String guest, String monitor) throws Exception {
        boolean kvm = !monitor.equals("qemu") && !monitor.equals("spt"); // hvt, firecracker, cloud-hypervisor
        assumeTrue(!kvm || Files.exists(Path.of("/dev/kvm")), monitor + " needs /dev/kvm in the monitor's root");
        Path helper = SandboxHelperBuild.helper(tmp);
        // The monitor runs as its own unprivileged user in a root that holds only its files and this directory.
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path fake = tmp.resolve("fake-" + monitor);
        Files.writeString(fake, """
        #!/bin/sh
        echo $$ > %1$s/pid
        printf '%%s\\n' "$@" > %1$s/argv
        env > %1$s/env
        id -u > %1$s/uid
        exec sleep 60
        """.formatted(out));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path kit = fakeKit();
        Path config = tmp.resolve("config.toml");
        String key = monitor.equals("hvt") || monitor.equals("spt") ? "solo5-" + monitor : monitor;
        Files.writeString(
                config, """
        [runtime]
        accel = "%s"
        kit = "%s"
        [monitors.%s]
        path = "%s"
        [sandbox]
        helper = "%s"
        ids_dir = "%s"
        read_write = ["%s"]
        """.formatted(kvm ? "kvm" : "tcg", kit, monitor, fake, helper, tmp.resolve("ids"), out));
        Path bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle.resolve("rootfs/boot"));
        Files.writeString(bundle.resolve("rootfs/boot/kernel"), "not really a kernel");
        String binary = guest.equals("linux") ? "" : ",\"com.urunc.unikernel.binary\":\"/boot/kernel\"";
        Files.writeString(bundle.resolve("config.json"), """
        {"ociVersion":"1.0.2","process":{"args":["/app","--flag"],"env":["FOO=container-only"],"cwd":"/"},
         "root":{"path":"rootfs"},
         "annotations":{"com.urunc.unikernel.unikernelType":"%s","com.urunc.unikernel.hypervisor":"%s"%s},
         "linux":{"namespaces":[{"type":"network","path":"/var/run/netns/%s"}]}}
        """.formatted(guest, monitor, binary, netns));
        Path root = tmp.resolve("root");
        Path pidFile = tmp.resolve("init.pid");
        String id = "spawn-" + monitor;

        long pid = create(config, root, bundle, pidFile, id);
        assertThat(ProcessHandle.of(pid)).isPresent();
        assertThat(jurunc(config, "--root", root.toString(), "state", id).out).contains("\"created\"");
        assertThat(out.resolve("pid")).doesNotExist();
        assertThat(sh("ip -n " + netns + " -o link show")).doesNotContain("jrtap"); // the network is start's

        Result start = jurunc(config, "--root", root.toString(), "start", id);
        assertThat(start.rc).as(start.err).isZero();
        awaitFile(out.resolve("uid"));
        assertThat(sh("ip -n " + netns + " -o link show")).contains("jrtap");
        long monitorPid = Long.parseLong(Files.readString(out.resolve("pid")).trim());
        assertThat(monitorPid).as("the monitor is a process of its own").isNotEqualTo(pid);
        assertThat(statusField(monitorPid, "PPid"))
                .as("the container's process (the sandbox init) is the monitor's parent")
                .isEqualTo(Long.toString(pid));
        assertThat(Files.readString(Path.of("/proc/" + pid + "/cmdline"))).contains("jurunc-init");
        String argv = Files.readString(out.resolve("argv"));
        assertThat(argv).doesNotContain("jurunc-waiter");
        if (!monitor.equals("firecracker")) assertThat(argv).contains("jrtap"); // firecracker: in fc.json
        String expectedNetns = sh("stat -L -c %i /var/run/netns/" + netns).trim();
        assertThat(sh("stat -L -c %i /proc/" + pid + "/ns/net").trim()).isEqualTo(expectedNetns);
        assertThat(Long.parseLong(Files.readString(out.resolve("uid")).trim())).isGreaterThanOrEqualTo(1_000_000_000L);
        for (long p : List.of(pid, monitorPid)) { // the init is as confined as the monitor
            assertThat(Files.readString(Path.of("/proc/" + p + "/status")))
                    .contains("CapEff:\t0000000000000000")
                    .containsPattern("NoNewPrivs:\\s+1");
            assertThat(statusField(p, "Uid"))
                    .startsWith(Files.readString(out.resolve("uid")).trim() + "\t");
        }
        assertThat(Files.readString(out.resolve("env"))).doesNotContain("FOO=container-only");
        assertThat(jurunc(config, "--root", root.toString(), "state", id).out).contains("\"running\"");
        assertThat(jurunc(config, "--root", root.toString(), "ps", "--format", "json", id)
                        .out
                        .trim())
                .isEqualTo("[" + pid + "]");
        if (monitor.equals("firecracker")) {
            assertThat(argv).contains("--config-file");
            assertThat(Files.readString(root.resolve(id).resolve("fc.json")))
                    .containsPattern("\"host_dev_name\"\\s*:\\s*\"jrtap");
        }

        assertThat(jurunc(config, "--root", root.toString(), "delete", id).rc).isNotZero(); // running: needs --force
        assertThat(jurunc(config, "--root", root.toString(), "kill", id, "KILL").rc)
                .isZero();
        ProcessHandle.of(pid)
                .ifPresent(p -> p.onExit().orTimeout(5, TimeUnit.SECONDS).join());
        Result del = jurunc(config, "--root", root.toString(), "delete", id);
        assertThat(del.rc).as(del.err).isZero();
        assertThat(root.resolve(id)).doesNotExist();
        assertThat(sh("ip -n " + netns + " -o link show")).doesNotContain("tap");
        assertThat(sh("tc -n " + netns + " qdisc show dev eth0")).doesNotContain("ingress");
    }

    /**
     * The same verbs served by a node daemon (its CLI service in this JVM) for a front (in Java here): the daemon
     * parses, plans and sets the network up, while the waiter create leaves is forked by the front (the caller),
     * and every verb answers as the JVM path does.
     */
    @org.junit.jupiter.api.Test
    void aNodeDaemonServesTheVerbsWhileTheCallerForksTheWaiter() throws Exception {
        Path helper = SandboxHelperBuild.helper(tmp);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path fake = tmp.resolve("fake-qemu");
        Files.writeString(fake, "#!/bin/sh\necho $$ > %1$s/pid\nexec sleep 60\n".formatted(out));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = qemuConfig(fake, helper, out);
        Path bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.writeString(bundle.resolve("config.json"), """
        {"ociVersion":"1.0.2","process":{"args":["/app"],"cwd":"/"},"root":{"path":"rootfs"},
         "annotations":{"com.urunc.unikernel.unikernelType":"linux","com.urunc.unikernel.hypervisor":"qemu"},
         "linux":{"namespaces":[{"type":"network","path":"/var/run/netns/%s"}]}}
        """.formatted(netns));
        java.util.Map<String, String> env =
                java.util.Map.of("JURUNC_CONFIG", config.toString(), "PATH", "/usr/bin:/bin");
        try (var daemon = new io.jurunc.cli.served.NodeDaemonUnderTest(tmp.resolve("node/cli.sock"), "/opt/home")) {
            java.util.function.Function<String[], io.jurunc.cli.served.FakeFront.Ending> call = args -> {
                try {
                    return io.jurunc.cli.served.FakeFront.call(daemon.socket, daemon.home, tmp, env, List.of(args));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            // relative paths are the caller's
            var create = call.apply(
                    new String[] {"--root", "root", "create", "-b", "bundle", "--pid-file", "init.pid", "c1"});
            assertThat(create.rc()).as(create.err()).isZero();
            long pid = Long.parseLong(Files.readString(tmp.resolve("init.pid")).trim());
            assertThat(create.spawned()).containsExactly(pid);
            assertThat(ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                    .as("the waiter is the caller's child")
                    .contains(ProcessHandle.current().pid());
            assertThat(call.apply(new String[] {"--root", "root", "state", "c1"})
                            .out())
                    .contains("\"created\"");
            var start = call.apply(new String[] {"--root", "root", "start", "c1"});
            assertThat(start.rc()).as(start.err()).isZero();
            awaitFile(out.resolve("pid"));
            assertThat(sh("ip -n " + netns + " -o link show")).contains("jrtap");
            assertThat(call.apply(new String[] {"--root", "root", "state", "c1"})
                            .out())
                    .contains("\"running\"");
            var again = call.apply(new String[] {"--root", "root", "create", "-b", "bundle", "c1"});
            assertThat(again.rc()).isEqualTo(1);
            assertThat(again.spawned()).isEmpty();
            assertThat(call.apply(new String[] {"--root", "root", "kill", "c1", "KILL"})
                            .rc())
                    .isZero();
            ProcessHandle.of(pid)
                    .ifPresent(p -> p.onExit().orTimeout(5, TimeUnit.SECONDS).join());
            var del = call.apply(new String[] {"--root", "root", "delete", "c1"});
            assertThat(del.rc()).as(del.err()).isZero();
            assertThat(tmp.resolve("root/c1")).doesNotExist();
            assertThat(sh("ip -n " + netns + " -o link show")).doesNotContain("tap");
        }
    }

    /**
     * A Linux microVM that shares its rootfs (mountRootfs): with the rootfs writable the monitor (and
     * its init) keep exactly CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER and CAP_FSETID, so it creates and
     * chowns files in the root-owned directories of the share, and still cannot change a device node
     * (bound read-only); with a read-only rootfs it has no capabilities and the share refuses writes.
     */
    @ParameterizedTest
    @CsvSource({"false", "true"})
    void aWritableRootfsShareLeavesTheMonitorOnlyTheFileCapabilities(boolean readOnly) throws Exception {
        Path helper = SandboxHelperBuild.helper(tmp);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path fake = tmp.resolve("fake-qemu");
        Files.writeString(fake, """
        #!/bin/sh
        echo $$ > %1$s/pid
        share=$(printf '%%s\\n' "$@" | sed -n 's/.*path=\\([^,]*\\),security_model=.*/\\1/p' | head -n1)
        echo "$share" > %1$s/share
        if touch "$share/etc/by-monitor" && chown 1234:1234 "$share/etc/by-monitor"; then echo 0; else echo 1; fi > %1$s/write
        if chown 1 /dev/null; then echo 0; else echo 1; fi > %1$s/devchown
        exec sleep 60
        """.formatted(out));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = qemuConfig(fake, helper, out);
        Path bundle = tmp.resolve("bundle");
        Path etc = Files.createDirectories(bundle.resolve("rootfs/etc"));
        Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(bundle.resolve("config.json"), """
        {"ociVersion":"1.0.2","process":{"args":["/app"],"cwd":"/"},
         "root":{"path":"rootfs","readonly":%s},
         "annotations":{"com.urunc.unikernel.unikernelType":"linux","com.urunc.unikernel.hypervisor":"qemu",
                        "com.urunc.unikernel.mountRootfs":"true"},
         "linux":{"namespaces":[{"type":"network","path":"/var/run/netns/%s"}]}}
        """.formatted(readOnly, netns));
        Path root = tmp.resolve("root");
        Path pidFile = tmp.resolve("init.pid");
        String id = "share-" + readOnly;
        long pid = create(config, root, bundle, pidFile, id);
        try {
            Result start = jurunc(config, "--root", root.toString(), "start", id);
            assertThat(start.rc).as(start.err).isZero();
            awaitFile(out.resolve("devchown"));
            long monitorPid =
                    Long.parseLong(Files.readString(out.resolve("pid")).trim());
            assertThat(Files.readString(out.resolve("share")).trim()).isEqualTo("/jurunc/shares/rootfs");
            String caps = readOnly ? "0000000000000000" : "000000000000001b"; // CHOWN DAC_OVERRIDE FOWNER FSETID
            for (long p : List.of(pid, monitorPid)) {
                for (String set : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
                    assertThat(statusField(p, set)).as(set + " of " + p).isEqualTo(caps);
                }
                assertThat(statusField(p, "NoNewPrivs")).isEqualTo("1");
                assertThat(statusField(p, "Uid")).doesNotStartWith("0\t");
            }
            Path written = etc.resolve("by-monitor");
            if (readOnly) {
                assertThat(Files.readString(out.resolve("write")).trim()).isEqualTo("1");
                assertThat(written).doesNotExist();
            } else {
                assertThat(Files.readString(out.resolve("write")).trim()).isEqualTo("0");
                assertThat(sh("stat -c %u:%g " + written).trim()).isEqualTo("1234:1234");
            }
            assertThat(Files.readString(out.resolve("devchown")).trim())
                    .as("a device node's owner cannot change")
                    .isEqualTo("1");
            assertThat(sh("stat -c %u /dev/null").trim()).isEqualTo("0");
        } finally {
            jurunc(config, "--root", root.toString(), "kill", id, "KILL");
            ProcessHandle.of(pid)
                    .ifPresent(p -> p.onExit().orTimeout(5, TimeUnit.SECONDS).join());
            jurunc(config, "--root", root.toString(), "delete", "--force", id);
        }
    }

    /** A config whose QEMU is {@code fake}, confined by {@code helper}, with {@code out} writable for it. */
    private Path qemuConfig(Path fake, Path helper, Path out) throws IOException {
        Path config = tmp.resolve("config.toml");
        Files.writeString(config, """
        [runtime]
        accel = "tcg"
        kit = "%s"
        [monitors.qemu]
        path = "%s"
        [sandbox]
        helper = "%s"
        ids_dir = "%s"
        read_write = ["%s"]
        """.formatted(fakeKit(), fake, helper, tmp.resolve("ids"), out));
        return config;
    }

    static String statusField(long pid, String name) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith(name + ":"))
                .findFirst()
                .orElseThrow()
                .substring(name.length() + 1)
                .trim();
    }

    private Path fakeKit() throws IOException {
        Path kit = Files.createDirectories(tmp.resolve("kit"));
        Files.writeString(kit.resolve("vmlinuz"), "kernel");
        Files.writeString(kit.resolve("init"), "init");
        Files.writeString(kit.resolve("kit.json"), """
        {"version":1,"kernel":"vmlinuz","flavor":"microvm","kernelSource":"test","init":"init","modules":[]}""");
        return kit;
    }

    private static void awaitFile(Path f) throws InterruptedException {
        for (int i = 0; i < 500 && !Files.exists(f); i++) Thread.sleep(10);
        assertThat(f).exists();
    }

    record Result(int rc, String out, String err) {}

    /** {@code jurunc create} with a pid file, which must succeed; returns the pid it wrote. */
    private static long create(Path config, Path root, Path bundle, Path pidFile, String id) throws Exception {
        Result create = jurunc(
                config,
                "--root",
                root.toString(),
                "create",
                "--bundle",
                bundle.toString(),
                "--pid-file",
                pidFile.toString(),
                id);
        assertThat(create.rc).as(create.err).isZero();
        return Long.parseLong(Files.readString(pidFile).trim());
    }

    static Result jurunc(Path config, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JURUNC_CONFIG", config.toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path o = Files.createTempFile("jurunc-out", ".txt");
        Path e = Files.createTempFile("jurunc-err", ".txt");
        pb.redirectOutput(o.toFile());
        pb.redirectError(e.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("jurunc " + String.join(" ", args) + " timed out");
        }
        Result r = new Result(p.exitValue(), Files.readString(o), Files.readString(e));
        Files.deleteIfExists(o);
        Files.deleteIfExists(e);
        return r;
    }

    static boolean isRoot() {
        try {
            return sh("id -u").trim().equals("0");
        } catch (Exception e) {
            return false;
        }
    }

    static String sh(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException(command + " failed: " + out);
        return out;
    }

    static void run(List<String> cmd) throws Exception {
        new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor();
    }
}
