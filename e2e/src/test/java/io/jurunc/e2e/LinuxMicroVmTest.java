package io.jurunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.Ctr;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.E2eEnvironment;
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.OnE2eEnvironment;
import io.jurunc.e2e.support.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Linux microVMs through {@code ctr run --runc-binary jurunc}: output, env and args, kill and delete. */
@E2E
class LinuxMicroVmTest extends OnE2eEnvironment {

    /** CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID (bits 0, 1, 3, 4): a writable shared rootfs. */
    private static final String FILE_CAPS = "000000000000001b";

    private final Leftovers leftovers = Leftovers.system();

    LinuxMicroVmTest() {
        super(() -> E2eEnvironment.start("hello"));
    }

    @Test
    void aLinuxMicroVmPrintsALineThatCtrShows() {
        String id = E2eEnvironment.newId("hello");
        CommandResult run = env.ctr().run(env.juruncRun("hello", id).withRm());

        assertThat(run.succeeded()).as(run.describe()).isTrue();
        assertThat(run.stdout()).as(run.describe()).contains("hello from a jurunc microVM");
        assertThat(leftovers.find(env.scope(id))).as(run.describe()).isEmpty();
    }

    /**
     * The guest command's exit status is {@code ctr run}'s (containerd's runc shim reaps the sandbox
     * init, which exits with the byte the guest init wrote to its exit port), 0 included.
     */
    @Test
    void theGuestCommandsExitStatusIsCtrRunsExitStatus() {
        for (int status : List.of(3, 0, 255)) {
            String id = E2eEnvironment.newId("exit" + status);
            CommandResult run = env.ctr()
                    .run(env.juruncRun("hello", id, "/bin/busybox", "sh", "-c", "exit " + status)
                            .withRm());
            assertThat(run.exitCode()).as(run.describe()).isEqualTo(status);
            assertThat(leftovers.find(env.scope(id))).as(run.describe()).isEmpty();
        }
        String id = E2eEnvironment.newId("exitsig");
        CommandResult killed = env.ctr()
                .run(env.juruncRun("hello", id, "/bin/busybox", "sh", "-c", "kill -USR1 $$")
                        .withRm());
        assertThat(killed.exitCode())
                .as("a shell's 128+n: " + killed.describe())
                .isEqualTo(128 + 10);
    }

    @Test
    void envAndArgsReachTheGuestApplication() {
        String id = E2eEnvironment.newId("env");
        CommandResult run = env.ctr()
                .run(env.juruncRun(
                                "hello",
                                id,
                                "/bin/busybox",
                                "sh",
                                "-c",
                                "echo \"FOO=$FOO BAR=$BAR args:$* kernel=$(/bin/busybox uname -r)\"",
                                "sh",
                                "one",
                                "two words")
                        .withEnv("FOO=bar")
                        .withEnv("BAR=with space")
                        .withRm());

        assertThat(run.succeeded()).as(run.describe()).isTrue();
        assertThat(run.stdout()).as(run.describe()).contains("FOO=bar BAR=with space args:one two words kernel=");
        assertThat(run.stdout())
                .as("the guest runs its own kernel, not the host's")
                .doesNotContain("kernel=" + System.getProperty("os.version"));
        assertThat(leftovers.find(env.scope(id))).as(run.describe()).isEmpty();
    }

    @Test
    void theMonitorIsTheContainersInitsChildAndKillAndDeleteLeaveNothing() {
        String id = E2eEnvironment.newId("kill");
        CommandResult started = env.ctr()
                .run(env.juruncRun("hello", id, "/bin/busybox", "sleep", "600").withFlag("--detach"));
        assertThat(started.succeeded()).as(started.describe()).isTrue();
        try {
            Ctr.TaskRow task = env.awaitTask(id, "RUNNING", Duration.ofSeconds(30))
                    .orElseThrow(() -> new AssertionError("task " + id + " not RUNNING: " + env.task(id)));
            ProcFs.Proc monitor = ProcFs.system()
                    .monitorOf(task.pid())
                    .orElseThrow(() -> new AssertionError("no sandbox init with a monitor at " + task.pid()));
            assertThat(monitor.argv().getFirst())
                    .as("the task's pid is the sandbox init, its child the monitor: " + monitor.commandLine())
                    .contains("qemu-system");
            assertThat(Files.isDirectory(env.runtimeStateDir(id)))
                    .as("state dir while running")
                    .isTrue();
            Leftovers.NetnsRecord netns = leftovers.recordNetns(task.pid()).orElseThrow();

            env.ctr().kill(id, "SIGTERM").requireSuccess();
            assertThat(env.awaitTask(id, "STOPPED", Duration.ofSeconds(30)))
                    .as("SIGTERM stops the VM: " + env.task(id))
                    .isPresent();
            env.ctr().deleteTask(id, false).requireSuccess();
            env.ctr().deleteContainer(id).requireSuccess();

            assertThat(env.task(id)).isEmpty();
            assertThat(leftovers.find(env.scope(id).withNetns(netns).withProcess(monitor)))
                    .isEmpty();
        } finally {
            env.ctr().forceRemove(id);
        }
    }

    /**
     * The monitor of a real QEMU microVM is confined (issue 11): its own unprivileged uid, no
     * capabilities but the four file ones that serving the image's writable shared rootfs with the
     * guest's owners takes (issue 12: {@code jurunc build} sets mountRootfs; CAP_CHOWN,
     * CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID, bounding set included), no_new_privs, QEMU's seccomp filter, a read-only tmpfs
     * root holding only /usr, the loader cache, a few devices and the guest's files, and the
     * memory limit of the spec on its cgroup, and pid 1 of a pid namespace of its own. Before: Uid 0,
     * CapEff 000001fffeffffff, Seccomp 0, the host's mounts, the shim's cgroup, the host's pid namespace.
     */
    @Test
    void theMonitorRunsUnprivilegedInAMinimalRootWithSeccompAndItsCgroup() throws Exception {
        String id = E2eEnvironment.newId("confined");
        long limit = 256L * 1024 * 1024;
        CommandResult started = env.ctr()
                .run(env.juruncRun("hello", id, "/bin/busybox", "sleep", "600")
                        .withFlag("--detach", "--memory-limit", Long.toString(limit)));
        assertThat(started.succeeded()).as(started.describe()).isTrue();
        try {
            Ctr.TaskRow task = env.awaitTask(id, "RUNNING", Duration.ofSeconds(30))
                    .orElseThrow(() -> new AssertionError("task " + id + " not RUNNING: " + env.task(id)));
            // The task's pid is the sandbox init (confined like the monitor, no seccomp filter of its own);
            // the monitor is its child.
            String init = Files.readString(Path.of("/proc", Long.toString(task.pid()), "status"));
            ProcFs.Proc monitor = ProcFs.system()
                    .monitorOf(task.pid())
                    .orElseThrow(() -> new AssertionError("no sandbox init with a monitor at " + task.pid()));
            Path proc = Path.of("/proc", Long.toString(monitor.pid()));
            // RUNNING comes right after the exec; QEMU installs its -sandbox filter a moment later, in its
            // start-up (at a load of 10 the first read showed Seccomp 0): wait for the filter, at most 10 s.
            String status = Files.readString(proc.resolve("status"));
            for (int i = 0; i < 200 && field(status, "Seccomp").equals("0"); i++) {
                Thread.sleep(50);
                status = Files.readString(proc.resolve("status"));
            }
            String uids = field(status, "Uid");
            long uid = Long.parseLong(uids.split("\\s+")[0]);
            assertThat(uid).as(status).isGreaterThanOrEqualTo(1_000_000_000L);
            assertThat(uids).as("real, effective, saved and fs uid").isEqualTo((uid + "\t").repeat(3) + uid);
            for (String set : List.of("CapEff", "CapPrm", "CapBnd", "CapAmb", "CapInh")) {
                assertThat(field(status, set)).as(set).isEqualTo(FILE_CAPS);
            }
            assertThat(field(status, "NoNewPrivs")).isEqualTo("1");
            assertThat(field(init, "Uid"))
                    .as("the init runs as the monitor's user")
                    .isEqualTo(uids);
            assertThat(field(init, "CapEff")).isEqualTo(FILE_CAPS);
            assertThat(field(init, "CapBnd")).isEqualTo(FILE_CAPS);
            assertThat(field(init, "NoNewPrivs")).isEqualTo("1");
            assertThat(field(status, "Seccomp"))
                    .as("QEMU's -sandbox on: a seccomp filter")
                    .isEqualTo("2");
            // ctr's spec has a pid namespace without a path: the sandbox init is pid 1 of its own, and the
            // task's pid (containerd's, from the pid file) is its pid in the host's namespace.
            assertThat(field(init, "NSpid").split("\\s+"))
                    .as("NSpid: host pid, then 1 inside")
                    .containsExactly(Long.toString(task.pid()), "1");
            assertThat(field(status, "NSpid").split("\\s+"))
                    .as("the monitor: host pid, then 2 inside")
                    .containsExactly(Long.toString(monitor.pid()), "2");
            assertThat(Files.readSymbolicLink(proc.resolve("ns/pid")))
                    .as("a pid namespace of its own")
                    .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")));

            List<String[]> mounts = Files.readAllLines(proc.resolve("mountinfo")).stream()
                    .map(l -> l.split(" "))
                    .toList();
            String[] root =
                    mounts.stream().filter(m -> m[4].equals("/")).findFirst().orElseThrow();
            assertThat(String.join(" ", root))
                    .as("the root is a private read-only tmpfs")
                    .contains(" tmpfs ")
                    .containsPattern(" ro,");
            for (String[] m : mounts) {
                String point = m[4];
                // Also the container's own files: images from `jurunc build` get mountRootfs=true (bunny's
                // rule), so the rootfs is a 9p share under /jurunc/shares; and the QMP socket's directory
                // (pause/resume), both read-write by design (docs/security.md, "Shared directories").
                boolean containersOwn = point.startsWith("/jurunc/shares/") || point.endsWith("/qmp");
                // With a read-write share, a procfs of the monitor's own processes only (QEMU's 9p server
                // needs /proc/self/fd); in the monitor's pid namespace it shows nothing of the host.
                boolean ownProc = point.equals("/proc") && String.join(" ", m).contains("subset=pid");
                assertThat(point.equals("/")
                                || point.equals("/usr")
                                || point.equals("/etc/ld.so.cache")
                                || point.startsWith("/dev/")
                                || point.endsWith("/initramfs.cpio")
                                || point.contains("vmlinu")
                                || containersOwn
                                || ownProc)
                        .as("only the monitor's files are mounted, not " + point)
                        .isTrue();
                if (!point.startsWith("/dev/") && !containersOwn) {
                    assertThat(m[5]).as(point + " is read-only").startsWith("ro");
                }
            }
            if (mounts.stream().anyMatch(m -> m[4].equals("/proc"))) {
                // that procfs belongs to the monitor's pid namespace: the monitor is the only process in it
                try (var pids = Files.list(proc.resolve("root/proc"))) {
                    assertThat(pids.map(p -> p.getFileName().toString())
                                    .filter(n -> n.matches("[0-9]+"))
                                    .toList())
                            .as("pids the monitor's /proc shows: the sandbox init and the monitor")
                            .containsExactlyInAnyOrder("1", "2");
                }
            }
            assertThat(mounts.stream()
                            .filter(m -> !String.join(" ", m).contains("subset=pid"))
                            .map(m -> m[4])
                            .toList())
                    .as("no host /proc, /sys, /home, /tmp, /etc")
                    .noneMatch(p -> p.equals("/proc")
                            || p.equals("/sys")
                            || p.equals("/home")
                            || p.equals("/tmp")
                            || p.equals("/etc"));

            // The spec's memory limit (guest RAM) plus the monitor's allowance lands on its cgroup.
            String cgroups = Files.readString(proc.resolve("cgroup"));
            assertThat(cgroups).as("the monitor is in the container's cgroup").contains(id);
            assertThat(memoryLimit(cgroups)).isGreaterThanOrEqualTo(limit).isLessThan(Long.MAX_VALUE / 2);

            env.ctr().kill(id, "SIGKILL").requireSuccess();
            assertThat(env.awaitTask(id, "STOPPED", Duration.ofSeconds(30))).isPresent();
            env.ctr().deleteTask(id, false).requireSuccess();
            env.ctr().deleteContainer(id).requireSuccess();
            assertThat(leftovers.find(env.scope(id))).isEmpty();
            assertThat(cgroupDir(cgroups))
                    .as("delete removes the monitor's cgroup")
                    .doesNotExist();
        } finally {
            env.ctr().forceRemove(id);
        }
    }

    private static String field(String status, String name) {
        return status.lines()
                .filter(l -> l.startsWith(name + ":"))
                .findFirst()
                .map(l -> l.substring(name.length() + 1).trim())
                .orElseThrow(() -> new AssertionError("no " + name + " in " + status));
    }

    /** The memory cgroup's directory: v1 ("N:memory:/path") or v2 ("0::/path"). */
    private static Path cgroupDir(String procCgroup) {
        for (String l : procCgroup.lines().toList()) {
            String[] f = l.split(":", 3);
            if (f[1].equals("memory")) return Path.of("/sys/fs/cgroup/memory" + f[2]);
        }
        String v2 = procCgroup
                .lines()
                .filter(l -> l.startsWith("0::"))
                .findFirst()
                .orElseThrow()
                .substring(3);
        return Path.of("/sys/fs/cgroup" + v2);
    }

    private static long memoryLimit(String procCgroup) throws java.io.IOException {
        Path dir = cgroupDir(procCgroup);
        Path v1 = dir.resolve("memory.limit_in_bytes");
        return Long.parseLong(Files.readString(Files.exists(v1) ? v1 : dir.resolve("memory.max"))
                .trim());
    }

    @Test
    void sigkillStopsTheVmToo() {
        String id = E2eEnvironment.newId("sigkill");
        CommandResult started = env.ctr()
                .run(env.juruncRun("hello", id, "/bin/busybox", "sleep", "600").withFlag("--detach"));
        assertThat(started.succeeded()).as(started.describe()).isTrue();
        try {
            assertThat(env.awaitTask(id, "RUNNING", Duration.ofSeconds(30))).isPresent();
            env.ctr().kill(id, "SIGKILL").requireSuccess();
            assertThat(env.awaitTask(id, "STOPPED", Duration.ofSeconds(30))).isPresent();
            env.ctr().deleteTask(id, false).requireSuccess();
            env.ctr().deleteContainer(id).requireSuccess();
            assertThat(leftovers.find(env.scope(id))).isEmpty();
        } finally {
            env.ctr().forceRemove(id);
        }
    }
}
