package io.jurunc.runtime.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LinuxHost}'s cgroup files and QMP against the real thing: a QEMU with no guest stopped and
 * continued over its QMP socket, and a process frozen and thawed by a cgroup v1 freezer (or v2
 * {@code cgroup.freeze}) made for the test and removed after it. Skipped without QEMU or as non-root.
 */
class LinuxHostControlTest {
    @TempDir
    Path tmp;

    private final LinuxHost host = new LinuxHost();

    @Test
    void qmpStopsAndContinuesARealQemu() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "no qemu-system-x86_64");
        Path sock = tmp.resolve("qmp.sock");
        Process qemu = new ProcessBuilder(
                        "/usr/bin/qemu-system-x86_64",
                        "-machine",
                        "none",
                        "-display",
                        "none",
                        "-nodefaults",
                        "-monitor",
                        "none",
                        "-qmp",
                        "unix:" + sock + ",server=on,wait=off")
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("qemu.log").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(sock) && qemu.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(Files.exists(sock))
                    .as(Files.exists(tmp.resolve("qemu.log")) ? Files.readString(tmp.resolve("qemu.log")) : "")
                    .isTrue();
            assertThat(host.qmp(sock, "query-status")).contains("\"running\":true");
            assertThat(host.qmp(sock, "stop")).isEqualTo("{}");
            assertThat(host.qmp(sock, "query-status")).contains("\"running\":false", "\"status\":\"paused\"");
            host.qmp(sock, "cont");
            assertThat(host.qmp(sock, "query-status")).contains("\"running\":true");
            assertThatThrownBy(() -> host.qmp(sock, "no-such-command"))
                    .isInstanceOf(HostException.class)
                    .hasMessageContaining("failed");
        } finally {
            qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> host.qmp(sock, "stop")).isInstanceOf(HostException.class);
    }

    @Test
    void aCgroupFreezerFreezesAndThawsAProcess() throws Exception {
        boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        Path base = v2 ? Path.of("/sys/fs/cgroup") : Path.of("/sys/fs/cgroup/freezer");
        assumeTrue(Files.isWritable(base.resolve("cgroup.procs")), "needs root and a freezer");
        Path cg = base.resolve("jurunc-test-" + ProcessHandle.current().pid());
        Files.createDirectory(cg);
        Process sleep = new ProcessBuilder("sleep", "300").start();
        try {
            host.writeControl(cg.resolve("cgroup.procs"), Long.toString(sleep.pid()));
            Path file = cg.resolve(v2 ? "cgroup.freeze" : "freezer.state");
            host.writeControl(file, v2 ? "1" : "FROZEN");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!frozen(cg, v2) && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(frozen(cg, v2)).isTrue();
            host.writeControl(file, v2 ? "0" : "THAWED");
            assertThat(frozen(cg, v2)).isFalse();
            assertThat(host.readControl(cg.resolve("no-such-file"))).isEmpty();
            assertThatThrownBy(() -> host.writeControl(cg.resolve("no-such-file"), "1"))
                    .isInstanceOf(HostException.class);
        } finally {
            sleep.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) {
                try {
                    Files.delete(cg);
                    break;
                } catch (java.io.IOException e) {
                    if (System.nanoTime() > deadline) throw e;
                    Thread.sleep(10);
                }
            }
        }
    }

    private boolean frozen(Path cg, boolean v2) throws HostException {
        return v2
                ? host.readControl(cg.resolve("cgroup.events")).orElse("").contains("frozen 1")
                : host.readControl(cg.resolve("freezer.state"))
                        .orElse("")
                        .strip()
                        .equals("FROZEN");
    }
}
