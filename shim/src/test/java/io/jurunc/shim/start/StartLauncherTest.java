package io.jurunc.shim.start;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.shim.GccBuild;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native {@code start} front ({@code src/main/c/shim-launcher.c}), compiled with gcc: it answers from a
 * serving node daemon's socket without a JVM, derives the same socket as {@link StartCommand}, and hands
 * everything else to the JVM launcher with the same argv and the same stdin.
 */
class StartLauncherTest {
    private static final String ADDRESS = "/run/containerd/containerd.sock";

    @TempDir
    static Path build;

    private static Path launcher;

    @TempDir
    Path tmp;

    @BeforeAll
    static void compile() throws Exception {
        launcher = GccBuild.compile(
                "shim-launcher.c", build.resolve("containerd-shim-jurunc-v2"), "-O2", "-Wall", "-Werror");
    }

    private record Run(int exit, String stdout) {}

    /** The fallback "JVM": records its argv and stdin next to itself. */
    private Path fakeJvm() throws IOException {
        Path jvm = tmp.resolve("jvm.sh");
        Files.writeString(
                jvm,
                "#!/bin/sh\necho \"$@\" > \"" + tmp.resolve("jvm.args") + "\"\ncat > \"" + tmp.resolve("jvm.stdin")
                        + "\"\necho from-jvm\n");
        jvm.toFile().setExecutable(true);
        return jvm;
    }

    private Run run(Path cwd, byte[] stdin, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().remove(GroupingId.SCOPE_ENV);
        pb.environment().put(StartCommand.SOCKET_ROOT_ENV, tmp.resolve("s").toString());
        pb.environment().put("JURUNC_SHIM_JVM", fakeJvm().toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().write(stdin);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    /** The flags containerd passes for container c1 in {@code namespace}, then {@code rest}. */
    private static String[] c1(String namespace, String... rest) {
        List<String> args = new ArrayList<>(List.of("-namespace", namespace, "-address", ADDRESS, "-id", "c1"));
        args.addAll(List.of(rest));
        return args.toArray(String[]::new);
    }

    private ServerSocketChannel serve(Path socket) throws IOException {
        Files.createDirectories(socket.getParent());
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(socket));
        return ch;
    }

    private Path nodeSocket(String namespace) {
        return SocketAddress.derive(tmp.resolve("s"), ADDRESS, namespace, GroupingId.NODE_GROUP)
                .path();
    }

    private Path bundle() throws IOException {
        return Files.createDirectories(tmp.resolve("bundle"));
    }

    @Test
    void aServingNodeDaemonIsAnsweredWithoutTheJvm() throws Exception {
        Path socket = nodeSocket("k8s.io");
        Path bundle = bundle();
        try (ServerSocketChannel ignored = serve(socket)) {
            Run r = run(
                    bundle,
                    new byte[0],
                    Map.of(),
                    "-namespace",
                    "k8s.io",
                    "-address",
                    ADDRESS,
                    "-publish-binary",
                    "/usr/bin/containerd",
                    "-id",
                    "c1",
                    "-debug",
                    "start");
            assertThat(r.exit()).isZero();
            assertThat(r.stdout()).isEqualTo("unix://" + socket);
            assertThat(Files.readString(bundle.resolve("address"))).isEqualTo("unix://" + socket);
            assertThat(tmp.resolve("jvm.args")).doesNotExist();
            assertThat(StartCommand.lockFile(socket)).exists();
        }
    }

    @Test
    void withoutADaemonTheJvmStartsOneWithTheSameArguments() throws Exception {
        Run r = run(bundle(), new byte[0], Map.of(), c1("default", "start"));
        assertThat(r.stdout()).isEqualTo("from-jvm\n");
        assertThat(Files.readString(tmp.resolve("jvm.args")).strip())
                .isEqualTo("-namespace default -address " + ADDRESS + " -id c1 start");
        assertThat(bundle().resolve("address")).doesNotExist();
    }

    @Test
    void stdinIsReplayedToTheJvm() throws Exception {
        byte[] options = {0x0a, 0x03, 'a', 'b', 'c', 0x00, (byte) 0xff};
        try (ServerSocketChannel ignored = serve(nodeSocket("default"))) {
            Run r = run(bundle(), options, Map.of(), c1("default", "start"));
            assertThat(r.stdout()).isEqualTo("from-jvm\n");
            assertThat(Files.readAllBytes(tmp.resolve("jvm.stdin"))).isEqualTo(options);
        }
    }

    @Test
    void podScopeDeleteAndInfoGoToTheJvm() throws Exception {
        try (ServerSocketChannel ignored = serve(nodeSocket("default"))) {
            assertThat(run(bundle(), new byte[0], Map.of(GroupingId.SCOPE_ENV, "pod"), c1("default", "start"))
                            .stdout())
                    .isEqualTo("from-jvm\n");
            assertThat(run(bundle(), new byte[0], Map.of(), c1("default", "-bundle", "/x", "delete"))
                            .stdout())
                    .isEqualTo("from-jvm\n");
            assertThat(Files.readString(tmp.resolve("jvm.args"))).contains("delete");
            assertThat(run(bundle(), new byte[0], Map.of(), "-info").stdout()).isEqualTo("from-jvm\n");
        }
    }

    @Test
    void aStaleSocketFileIsLeftToTheJvm() throws Exception {
        Path socket = nodeSocket("default");
        Files.createDirectories(socket.getParent());
        Files.writeString(socket, "stale");
        Run r = run(bundle(), new byte[0], Map.of(), c1("default", "start"));
        assertThat(r.stdout()).isEqualTo("from-jvm\n");
    }
}
