package io.jurunc.cli;

import io.jurunc.runtime.lifecycle.Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The AOT-cache training run (make-dist.sh): exercises argument parsing of every runtime command,
 * config.json and urunc.json parsing, and the state/error paths, without touching real containers.
 */
public final class Train {
    private Train() {}

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("jurunc-train");
        try {
            Path bundle = tmp.resolve("bundle");
            Files.createDirectories(bundle.resolve("rootfs"));
            Files.writeString(bundle.resolve("config.json"), """
          {"ociVersion":"1.0.2","process":{"args":["/bin/sh"],"env":["PATH=/bin"],"cwd":"/"},
           "root":{"path":"rootfs"},"annotations":{"com.urunc.unikernel.unikernelType":"linux",
           "com.urunc.unikernel.hypervisor":"qemu"},
           "linux":{"namespaces":[{"type":"network"}],"resources":{"memory":{"limit":268435456}}}}""");
            Files.writeString(bundle.resolve("rootfs/urunc.json"), "{\"com.urunc.unikernel.hypervisor\":\"cWVtdQ==\"}");
            for (int i = 0; i < 3; i++) {
                Bundle.load(bundle);
            }
            // Every verb loads the config; with a config file (containerd passes JURUNC_CONFIG) that is the TOML
            // mapper, and `state` prints through databind: train both, or each verb pays their class loading.
            Path toml = tmp.resolve("config.toml");
            Files.writeString(
                    toml,
                    "[log]\nlevel = \"info\"\n[runtime]\nkit = \"" + tmp.resolve("kit")
                            + "\"\naccel = \"tcg\"\n[timestamps]\nenabled = true\ndestination = \""
                            + tmp.resolve("ts.log")
                            + "\"\n[monitors.qemu]\ndefault_memory_mb = 256\n");
            for (int i = 0; i < 3; i++) {
                io.jurunc.runtime.config.JuruncConfig.load(toml);
            }
            io.jurunc.oci.Json.mapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(java.util.Map.of(
                            "ociVersion",
                            "1.1.0",
                            "id",
                            "c1",
                            "status",
                            "running",
                            "pid",
                            42,
                            "bundle",
                            bundle.toString(),
                            "annotations",
                            java.util.Map.of("k", "v")));
            // FFM downcalls are bound on first use; binding is costly, so train the ones every command makes.
            io.jurunc.runtime.host.LinuxHost host = new io.jurunc.runtime.host.LinuxHost();
            host.signal(ProcessHandle.current().pid(), 0);
            host.inspect(ProcessHandle.current().pid());
            host.mkfifo(tmp.resolve("fifo"));
            host.pokeFifo(tmp.resolve("fifo"));
            io.jurunc.runtime.sys.Syscalls sys = io.jurunc.runtime.sys.Syscalls.linux();
            int fd = sys.open("/dev/null", 0);
            sys.close(fd);
            // `start` sets the network up over rtnetlink (FFM): train it where make-dist.sh made a namespace.
            String trainNetns = System.getProperty("jurunc.train.netns", "");
            if (!trainNetns.isEmpty()) {
                TrainNetwork.run(io.jurunc.runtime.net.NetnsRef.of(trainNetns), 3);
            }
            String root = tmp.resolve("root").toString();
            String[][] runs = {
                {"--version"},
                {"features"},
                {"--root", root, "state", "nope"},
                {"--root", root, "list"},
                {"--root", root, "--log-format", "json", "kill", "nope", "KILL"},
                {"--root", root, "delete", "nope"},
                {"--root", root, "ps", "--format", "json", "nope"},
                {"--root", root, "start", "nope"},
                {"--root", root, "create", "--bundle", "/nonexistent", "--pid-file", "/tmp/x", "nope"},
            };
            String[][] fast = {
                {
                    "--root",
                    root,
                    "--log",
                    "/dev/null",
                    "--log-format",
                    "json",
                    "create",
                    "--bundle",
                    bundle.toString(),
                    "--pid-file",
                    tmp.resolve("pid").toString(),
                    "--console-socket",
                    "/x",
                    "c1"
                },
                {"--root", root, "start", "c1"},
                {"--root", root, "state", "c1"},
                {"--root", root, "kill", "c1", "KILL"},
                {"--root", root, "delete", "--force", "c1"},
                {"--root", root, "ps", "--format", "json", "c1"},
            };
            for (String[] run : fast) {
                FastPath.bind(new JuruncCommand(run), run).orElseThrow();
            }
            JuruncCommand ctxTop = new JuruncCommand(new String[0]);
            FastPath.bind(ctxTop, new String[] {"--root", root, "list", "x"});
            ctxTop.root = tmp.resolve("root");
            new io.jurunc.runtime.lifecycle.StateQuery(ctxTop.context()).all();
            for (String[] run : runs) {
                JuruncCommand top = new JuruncCommand(run);
                CommandLine cl = new CommandLine(top);
                cl.setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()));
                cl.setExecutionExceptionHandler((ex, c, p) -> 1);
                Commands.register(cl, run);
                cl.parseArgs(run);
            }
        } finally {
            try (Stream<Path> w = Files.walk(tmp)) {
                w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
