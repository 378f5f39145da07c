package io.jurunc.e2e.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.e2e.support.Cleanup;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.RealHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CRI's ExecSync into a Linux microVM, as a kubelet's exec probe runs it, and its streaming Exec,
 * as {@code kubectl exec} without a terminal reaches it (a WebSocket on containerd's streaming
 * server): a pod (the pause container, a plain runc container) with handler {@code jurunc}, whose app
 * container is a QEMU microVM in the same shim daemon; both go through jurunc's shim, the exec relay
 * and the guest init's exec server. The exec gets CRI's process (the container's env and
 * working dir, no stdin, no terminal, a 64-hex exec id) and CRI's stdout and stderr FIFOs, which
 * containerd reads only once Start has returned. {@code kubectl exec -it} is the streaming Exec with stdin and
 * a terminal: the window's size (channel 4) reaches the guest's pty through ResizePty and the relay, the
 * typed line reaches the shell, and the exit status comes once the shim closed the terminal's stdout FIFO
 * (containerd waits for its end before it sends the status).
 */
@E2E
class LinuxCriExecTest {
    private final RealHost host = new RealHost();

    @Test
    void execSyncAndStreamingExecIntoAPodsMicroVmGiveStdoutStderrTheExitCodeAndTheContainersEnvAndCwd()
            throws Exception {
        try (Cleanup cleanup = new Cleanup()) {
            CriNode node = CriNode.start(host, cleanup, "jurunc-e2e-cri-exec-");
            node.importTestImage(host, "hello");
            try {
                runPod(node);
            } catch (GrpcUnixClient.GrpcCallException e) {
                throw node.explain(e);
            }
        }
    }

    private void runPod(CriNode node) throws Exception {
        CriClient cri = node.cri;
        CriNode.Pod pod = node.runPod("jurunc-execpod-");
        String ctrId = cri.createContainer(
                pod.id(),
                pod.config(),
                "vm",
                "jurunc.test/hello:latest",
                List.of("/bin/busybox", "sh", "-c", "echo vm-started; exec /bin/busybox sleep 600"),
                "/bin",
                Map.of("FOO", "bar"));
        cri.startContainer(ctrId);
        assertThat(cri.containerState(ctrId)).isEqualTo(CriClient.CONTAINER_RUNNING);
        // a kubelet's exec probe may come at once: the guest may still be booting
        CriClient.ExecResult early = cri.execSync(ctrId, List.of("/bin/busybox", "echo", "early"), 120);
        assertThat(early.exitCode()).as(early.toString()).isZero();
        assertThat(early.stdout()).isEqualTo("early\n");
        awaitLog(node, pod, ctrId, "vm.log", "vm-started");

        long t0 = System.nanoTime();
        CriClient.ExecResult echo = cri.execSync(ctrId, List.of("/bin/busybox", "echo", "hello-from-exec"), 60);
        long echoMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(echo.exitCode()).as(echo.toString()).isZero();
        assertThat(echo.stdout()).isEqualTo("hello-from-exec\n");
        assertThat(echo.stderr()).isEmpty();

        CriClient.ExecResult sh = cri.execSync(
                ctrId, List.of("/bin/busybox", "sh", "-c", "echo out-$FOO; pwd; echo to-stderr >&2; exit 3"), 60);
        assertThat(sh.exitCode()).as(sh.toString()).isEqualTo(3);
        assertThat(sh.stdout()).as("the container's env and working dir").isEqualTo("out-bar\n/bin\n");
        assertThat(sh.stderr()).isEqualTo("to-stderr\n");

        CriClient.ExecResult init = cri.execSync(ctrId, List.of("/bin/busybox", "cat", "/proc/1/cmdline"), 60);
        assertThat(init.exitCode()).as(init.toString()).isZero();
        assertThat(init.stdout())
                .as("the exec runs in the guest, beside the app")
                .contains("init");

        // a command the guest cannot find (the image has busybox but no applet links): ExecSync fails at
        // once, and containerd was told why, with the shim's NOT_FOUND (containerd's errdefs "not found")
        long t1 = System.nanoTime();
        assertThatThrownBy(() -> cri.execSync(ctrId, List.of("echo", "bare"), 120))
                .isInstanceOf(GrpcUnixClient.GrpcCallException.class);
        long failedMs = (System.nanoTime() - t1) / 1_000_000;
        assertThat(Files.readString(node.containerd.log()))
                .as("containerd's log has the guest's reason and the shim's status code")
                .contains("exec echo: No such file or directory: not found");
        assertThat(failedMs)
                .as("the failed exec ended: containerd's Delete(WithProcessKill) did not wait a minute for it")
                .isLessThan(30_000);

        // the streaming Exec (kubectl exec): a URL on containerd's streaming server, opened as a WebSocket
        String url = cri.exec(ctrId, List.of("/bin/busybox", "sh", "-c", "echo via-stream; echo err >&2; exit 5"));
        assertThat(url).startsWith("http://127.0.0.1:");
        CriStream.Result streamed = CriStream.run(url, Duration.ofSeconds(60));
        assertThat(streamed.stdout()).as(streamed.toString()).isEqualTo("via-stream\n");
        assertThat(streamed.stderr()).as(streamed.toString()).isEqualTo("err\n");
        assertThat(streamed.exitCode()).as(streamed.toString()).isEqualTo(5);

        // kubectl exec -it: stdin and a terminal; the window's size first, then a line typed at the prompt
        String ttyUrl = cri.execWithTerminal(ctrId, List.of("/bin/busybox", "sh"));
        CriStream.Result typed;
        try (CriStream.Session tty = CriStream.Session.open(ttyUrl, Duration.ofSeconds(60))) {
            tty.resize(100, 30);
            assertThat(tty.awaitStdout("# ", Duration.ofSeconds(60)))
                    .as("the shell's prompt; stdout: '" + tty.stdout() + "'\n" + node.shimLogTail(30))
                    .isTrue();
            tty.stdin("/bin/busybox stty size; exit 4\n");
            typed = tty.result(Duration.ofSeconds(60));
        }
        assertThat(typed.stdout())
                .as("the resize reached the guest's pty: " + typed)
                .contains("30 100\r\n");
        assertThat(typed.exitCode()).as(typed.toString()).isEqualTo(4);

        CriClient.ExecResult after = cri.execSync(ctrId, List.of("/bin/busybox", "true"), 60);
        assertThat(after.exitCode()).as("the channel is free again: " + after).isZero();
        System.out.printf(
                "measure: CRI ExecSync into a pod's microVM: busybox echo %d ms, a missing command's error %d ms%n",
                echoMs, failedMs);

        cri.stopContainer(ctrId, 5);
        assertThat(cri.containerState(ctrId)).isEqualTo(CriClient.CONTAINER_EXITED);
        cri.removeContainer(ctrId);
        node.removePod(pod);
    }

    /** The guest's console reaches the container's log once the app runs (a slow TCG boot: minutes under load). */
    private static void awaitLog(CriNode node, CriNode.Pod pod, String ctrId, String name, String text)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        Path log = pod.logs().resolve(name);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) return;
            if (node.cri.containerState(ctrId) != CriClient.CONTAINER_RUNNING) break;
            Thread.sleep(200);
        }
        throw new AssertionError("container log " + name + " never showed '" + text + "'; container: "
                + node.cri.describeContainer(ctrId) + "\nits log:\n"
                + (Files.exists(log) ? Files.readString(log) : "(none)") + "\n" + node.shimLogTail(40)
                + "containerd:\n" + CriNode.tail(node.containerd.log()));
    }
}
