package io.jurunc.e2e.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A container started with {@code ctr run} in the background that serves until stopped, reachable at
 * {@code ip} on {@code network}: its HTTP answers, the task's pid, the monitor's command line, and a
 * stop that leaves no task or container behind. A failed probe carries the guest console, ctr's
 * stderr and the container netns's view.
 */
public record ServiceRun(E2eEnvironment env, String id, Spawned ctrRun, RoutedNetwork network, String ip) {
    private static final Duration ADDRESS_LIMIT = Duration.ofSeconds(60);

    /** Starts {@code spec} in the CNI network {@code net} and waits up to 60 s for its address. */
    public static ServiceRun inCni(E2eEnvironment env, RunSpec spec, CniNetwork net) {
        Spawned ctrRun = env.ctr().startRun(spec);
        long deadline = System.nanoTime() + ADDRESS_LIMIT.toNanos();
        Optional<String> ip = net.containerIp(env.ctr().namespace(), spec.id());
        while (ip.isEmpty() && ctrRun.isAlive() && System.nanoTime() < deadline) {
            sleep();
            ip = net.containerIp(env.ctr().namespace(), spec.id());
        }
        ServiceRun run = new ServiceRun(env, spec.id(), ctrRun, net, ip.orElse(""));
        if (ip.isEmpty()) {
            run.stop();
            throw new AssertionError(spec.id() + " got no CNI address; ctr run stderr:\n" + read(ctrRun.stderrFile())
                    + "\nstdout:\n" + read(ctrRun.stdoutFile()));
        }
        return run;
    }

    /** Starts {@code spec}, whose address {@code ip} on {@code network} is known beforehand (a prepared netns). */
    public static ServiceRun at(E2eEnvironment env, RunSpec spec, RoutedNetwork network, String ip) {
        return new ServiceRun(env, spec.id(), env.ctr().startRun(spec), network, ip);
    }

    /** GETs {@code http://<ip>:<port><path>} with {@code headers} until it answers or {@code limit} passes. */
    public HttpProbe.Answer get(int port, String path, Map<String, String> headers, Duration limit) {
        try {
            return new HttpProbe(network)
                    .await(URI.create("http://" + ip + ":" + port + path), headers, limit, ctrRun::isAlive);
        } catch (RuntimeException e) {
            String netns = env.task(id)
                    .map(t -> env.host()
                            .run(Command.of(
                                    "nsenter",
                                    "--net=/proc/" + t.pid() + "/ns/net",
                                    "--",
                                    "sh",
                                    "-c",
                                    "ip addr; ip route; tc filter show dev eth0 ingress"))
                            .describe())
                    .orElse("(no task)");
            throw new AssertionError(
                    e.getMessage() + "\nctr run alive: " + ctrRun.isAlive()
                            + "\n--- ctr run stdout (guest console) ---\n" + read(ctrRun.stdoutFile())
                            + "\n--- ctr run stderr ---\n" + read(ctrRun.stderrFile())
                            + "\n--- container netns ---\n" + netns,
                    e);
        }
    }

    /** The task's pid once it is RUNNING (up to 30 s). */
    public long pid() {
        return env.awaitTask(id, "RUNNING", Duration.ofSeconds(30))
                .orElseThrow(() -> new AssertionError(id + " never RUNNING; stderr:\n" + read(ctrRun.stderrFile())))
                .pid();
    }

    /** The monitor's command line (the child of the container's process, the sandbox init), words joined by spaces. */
    public String monitorArgs() {
        long pid = pid();
        return ProcFs.system()
                .monitorOf(pid)
                .orElseThrow(() -> new AssertionError("no sandbox init with a monitor at " + pid))
                .commandLine();
    }

    /** Kills the task if ctr run still waits on it, then removes the task and container. */
    public void stop() {
        if (ctrRun.isAlive()) {
            env.ctr().kill(id, "SIGKILL");
            ctrRun.waitFor(Duration.ofSeconds(30));
        }
        ctrRun.stop(Duration.ofSeconds(5));
        env.ctr().forceRemove(id);
    }

    /** A file's text, or a note that it could not be read (for failure messages). */
    public static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
