package io.jurunc.builder.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.builder.RegistryException;
import io.jurunc.builder.TestBuilders;
import io.jurunc.builder.TestFiles;
import io.jurunc.builder.Tools;
import io.jurunc.builder.build.BuildRequest;
import io.jurunc.builder.build.BuildResult;
import io.jurunc.builder.build.ImageBuilder;
import io.jurunc.builder.image.Digest;
import io.jurunc.builder.image.Json;
import io.jurunc.builder.image.Platform;
import io.jurunc.builder.output.Output;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushes to and pulls from a real docker-registry on loopback; skopeo checks the round trip. */
class RegistryRoundTripTest {
    static LocalRegistry registry;

    @TempDir
    Path ctx;

    @TempDir
    Path out;

    @TempDir
    Path cache;

    @BeforeAll
    static void start() throws Exception {
        registry = new LocalRegistry();
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    private ImageBuilder builder(Credentials creds) {
        return TestBuilders.caching(creds, cache);
    }

    private void demoContext() {
        TestFiles.write(ctx, "bin/busybox", TestFiles.elf(62), "rwxr-xr-x");
        TestFiles.write(ctx, "www/index.html", "hello\n", "rw-r--r--");
        TestFiles.write(ctx, "Containerfile", """
                FROM scratch
                COPY bin/busybox /bin/busybox
                COPY www /www
                LABEL com.urunc.unikernel.unikernelType=linux com.urunc.unikernel.hypervisor=qemu
                CMD ["/bin/busybox", "httpd", "-f"]
                """, "rw-r--r--");
    }

    @Test
    void pushSkipsExistingBlobsAndSkopeoPullsItBackByteIdentical() throws Exception {
        demoContext();
        String ref = registry.host() + "/demo/echo:latest";
        BuildResult first = builder(Credentials.NONE)
                .build(BuildRequest.builder(ctx, ref)
                        .output(new Output.Registry(null))
                        .output(new Output.OciLayout(out.resolve("local")))
                        .build());
        assertThat(first.written().getFirst()).contains("4 blobs uploaded, 0 already there");
        BuildResult again = builder(Credentials.NONE)
                .build(BuildRequest.builder(ctx, ref)
                        .output(new Output.Registry(null))
                        .build());
        assertThat(again.written().getFirst()).contains("0 blobs uploaded, 4 already there");

        Tools.run(
                "skopeo",
                "copy",
                "--src-tls-verify=false",
                "docker://" + ref,
                "oci:" + out.resolve("pulled") + ":latest");
        JsonNode idx = Json.parse(Files.readAllBytes(out.resolve("pulled/index.json")));
        assertThat(idx.path("manifests").get(0).path("digest").asText())
                .isEqualTo(first.image().digest().toString());
        try (Stream<Path> blobs = Files.list(out.resolve("local/blobs/sha256"))) {
            for (Path b : blobs.toList()) {
                assertThat(Files.readAllBytes(out.resolve("pulled/blobs/sha256").resolve(b.getFileName())))
                        .isEqualTo(Files.readAllBytes(b));
            }
        }
        JsonNode remote = Json.parse(Tools.run("skopeo", "inspect", "--tls-verify=false", "docker://" + ref)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(remote.path("Digest").asText())
                .isEqualTo(first.image().digest().toString());
    }

    @Test
    void fromABaseImagePulledFromTheRegistryThroughTheCache() throws Exception {
        demoContext();
        String base = registry.host() + "/demo/base:1";
        builder(Credentials.NONE)
                .build(BuildRequest.builder(ctx, base)
                        .output(new Output.Registry(null))
                        .build());
        TestFiles.write(ctx, "extra.txt", "extra\n", "rw-r--r--");
        TestFiles.write(
                ctx,
                "Containerfile",
                "FROM " + base + "\nCOPY extra.txt /etc/extra.txt\nENV MODE=child\n",
                "rw-r--r--");
        BuildResult child = builder(Credentials.NONE)
                .build(BuildRequest.builder(ctx, "demo/child:1")
                        .output(new Output.OciLayout(out.resolve("child")))
                        .build());
        assertThat(child.manifests()).hasSize(1);
        try (Stream<Path> s = Files.list(cache.resolve("sha256"))) {
            assertThat(s.count()).isEqualTo(4); // config + 3 layers of the base
        }
        Tools.run(
                "umoci",
                "unpack",
                "--image",
                out.resolve("child") + ":1",
                out.resolve("bundle").toString());
        Path rootfs = out.resolve("bundle/rootfs");
        assertThat(rootfs.resolve("bin/busybox")).exists();
        assertThat(rootfs.resolve("urunc.json")).exists();
        assertThat(Files.readString(rootfs.resolve("etc/extra.txt"))).isEqualTo("extra\n");
        JsonNode cfg = Json.parse(Tools.run("skopeo", "inspect", "--config", "oci:" + out.resolve("child") + ":1")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(cfg.path("config").path("Cmd").get(0).asText()).isEqualTo("/bin/busybox");
        assertThat(cfg.path("config").path("Env").toString()).contains("MODE=child");
        assertThat(cfg.path("config")
                        .path("Labels")
                        .path("com.urunc.unikernel.hypervisor")
                        .asText())
                .isEqualTo("qemu");
        assertThat(cfg.path("rootfs").path("diff_ids")).hasSize(4);
    }

    @Test
    void multiPlatformIndexPushedAndUsedAsABase() throws Exception {
        TestFiles.write(ctx, "www/index.html", "multi\n", "rw-r--r--");
        TestFiles.write(
                ctx,
                "Containerfile",
                "FROM scratch\nARG TARGETARCH\nCOPY www /www\nLABEL arch=$TARGETARCH\n",
                "rw-r--r--");
        String ref = registry.host() + "/demo/multi:1";
        BuildResult index = builder(Credentials.NONE)
                .build(BuildRequest.builder(ctx, ref)
                        .platform(Platform.parse("linux/amd64"))
                        .platform(Platform.parse("linux/arm64"))
                        .output(new Output.Registry(null))
                        .build());
        JsonNode raw = Json.parse(Tools.run("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(raw.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(raw.path("manifests")).hasSize(2);
        assertThat(index.image().digest().toString())
                .isEqualTo(Digest.of(Tools.run("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref)
                                .getBytes(StandardCharsets.UTF_8))
                        .toString());

        TestFiles.write(ctx, "Containerfile", "FROM " + ref + "\nLABEL child=yes\n", "rw-r--r--");
        BuildResult child = builder(Credentials.NONE)
                .build(BuildRequest.builder(ctx, "demo/child-arm:1")
                        .platform(Platform.parse("linux/arm64"))
                        .output(new Output.OciLayout(out.resolve("c")))
                        .build());
        JsonNode cfg = Json.parse(
                Tools.run("skopeo", "--override-arch", "arm64", "inspect", "--config", "oci:" + out.resolve("c") + ":1")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(cfg.path("architecture").asText()).isEqualTo("arm64");
        assertThat(cfg.path("config").path("Labels").path("arch").asText()).isEqualTo("arm64");
        assertThat(cfg.path("config").path("Labels").path("child").asText()).isEqualTo("yes");
        assertThat(child.manifests()).hasSize(1);
    }

    @Test
    void bearerAndBasicAuth() throws Exception {
        demoContext();
        for (AuthProxy.Mode mode : AuthProxy.Mode.values()) {
            try (AuthProxy proxy = new AuthProxy(registry.host(), mode)) {
                String ref = proxy.host() + "/secure/echo:" + mode.name().toLowerCase();
                assertThatThrownBy(() -> builder(Credentials.NONE)
                                .build(BuildRequest.builder(ctx, ref)
                                        .output(new Output.Registry(null))
                                        .build()))
                        .isInstanceOf(RegistryException.class)
                        .hasMessageContaining("--creds USER:PASSWORD");
                BuildResult r = builder(
                                Credentials.fixed(new Credentials.UserPassword(AuthProxy.USER, AuthProxy.PASSWORD)))
                        .build(BuildRequest.builder(ctx, ref)
                                .output(new Output.Registry(null))
                                .build());
                assertThat(r.written().getFirst()).startsWith("pushed " + ref);
                if (mode == AuthProxy.Mode.BEARER) {
                    assertThat(proxy.seen)
                            .anyMatch(
                                    s -> s.startsWith(
                                            "GET /token?service=test-registry&scope=repository%3Asecure%2Fecho%3Apull%2Cpush [Basic]"));
                    assertThat(proxy.seen).anyMatch(s -> s.startsWith("PUT /v2/secure/echo/manifests/bearer [Bearer]"));
                } else {
                    assertThat(proxy.seen).anyMatch(s -> s.startsWith("PUT /v2/secure/echo/manifests/basic [Basic]"));
                }
            }
        }
        Tools.run("skopeo", "inspect", "--tls-verify=false", "docker://" + registry.host() + "/secure/echo:bearer");
    }
}
