package io.jurunc.builder.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.builder.BuildFileException;
import io.jurunc.builder.OutputException;
import io.jurunc.builder.TestFiles;
import io.jurunc.builder.Timings;
import io.jurunc.builder.Tools;
import io.jurunc.builder.image.Json;
import io.jurunc.builder.image.MediaTypes;
import io.jurunc.builder.image.Platform;
import io.jurunc.builder.os.SystemProcessRunner;
import io.jurunc.builder.output.Ctr;
import io.jurunc.builder.output.Output;
import io.jurunc.builder.registry.BlobCache;
import io.jurunc.builder.registry.Credentials;
import io.jurunc.builder.registry.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBuilderTest {
    /**
     * The digest of the demo-shaped image below. Any change to tar headers, gzip bytes, JSON layout
     * or field order changes it: update it only for an intended format change.
     */
    static final String GOLDEN = "sha256:58262437bd3da07ad16bbeb1fb668cc97736b35e0d80bfcf524bb9f3ca34a655";

    @TempDir
    Path ctx;

    @TempDir
    Path out;

    @TempDir
    Path cache;

    final List<List<String>> ctrCalls = new ArrayList<>();
    ImageBuilder builder;

    @BeforeEach
    void setUp() {
        Ctr recording = (address, ns, snap, archive) -> {
            assertThat(archive).exists();
            ctrCalls.add(java.util.Arrays.asList(
                    address, ns, snap, archive.getFileName().toString()));
        };
        builder = new ImageBuilder(
                new RegistryClient(Credentials.NONE), new BlobCache(cache), recording, new SystemProcessRunner());
        byte[] bin = new byte[200_000];
        for (int i = 0; i < bin.length; i++) {
            bin[i] = (byte) (i * 31 + i / 7);
        }
        System.arraycopy(TestFiles.elf(62), 0, bin, 0, 64);
        TestFiles.write(ctx, "bin/busybox", bin, "rwxr-xr-x");
        TestFiles.write(
                ctx,
                "www/cgi-bin/echo",
                "#!/bin/busybox sh\necho Content-Type: text/plain\necho\necho \"$QUERY_STRING\"\n",
                "rwxr-xr-x");
        TestFiles.write(ctx, "www/index.html", "<h1>hi</h1>\n", "rw-r--r--");
        TestFiles.write(ctx, "Containerfile", """
                # syntax=harbor.nbfc.io/nubificus/bunny:latest
                FROM scratch
                COPY bin/busybox /bin/busybox
                COPY www /www
                LABEL com.urunc.unikernel.unikernelType=linux \\
                      com.urunc.unikernel.hypervisor=qemu
                ENV PORT=8080
                EXPOSE 8080
                CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
                """, "rw-r--r--");
    }

    private BuildResult build(Output... outputs) {
        BuildRequest.Builder b = BuildRequest.builder(ctx, "demo/echo:latest").created(java.time.Instant.EPOCH);
        for (Output o : outputs) {
            b.output(o);
        }
        return builder.build(b.build());
    }

    @Test
    void goldenDigestAndByteIdenticalRebuilds() throws Exception {
        BuildResult a = build(new Output.OciArchive(out.resolve("a.tar")));
        BuildResult b = build(new Output.OciArchive(out.resolve("b.tar")));
        assertThat(a.image().digest()).isEqualTo(b.image().digest());
        assertThat(Files.readAllBytes(out.resolve("a.tar"))).isEqualTo(Files.readAllBytes(out.resolve("b.tar")));
        assertThat(a.image().digest().toString()).isEqualTo(GOLDEN);
    }

    @Test
    void levelZeroWritesAPlainTarLayerHashedOnceAndRebuildsByteIdentical() throws Exception {
        java.util.function.Function<String, BuildResult> level0 =
                name -> builder.build(BuildRequest.builder(ctx, "demo/echo:latest")
                        .created(java.time.Instant.EPOCH)
                        .compressionLevel(0)
                        .output(new Output.OciLayout(out.resolve(name)))
                        .build());
        BuildResult a = level0.apply("a");
        BuildResult b = level0.apply("b");
        assertThat(a.image().digest()).isEqualTo(b.image().digest());
        assertThat(a.timings())
                .extracting(Timings.Phase::name)
                .contains("layers: read, tar, sha256, write", "config and manifest");
        Path blobs = out.resolve("a/blobs/sha256");
        JsonNode manifest =
                Json.parse(Files.readAllBytes(blobs.resolve(a.image().digest().hex())));
        JsonNode config = Json.parse(Files.readAllBytes(
                blobs.resolve(manifest.path("config").path("digest").asText().substring(7))));
        for (int i = 0; i < manifest.path("layers").size(); i++) {
            JsonNode layer = manifest.path("layers").get(i);
            assertThat(layer.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_LAYER_TAR);
            assertThat(config.path("rootfs").path("diff_ids").get(i).asText())
                    .isEqualTo(layer.path("digest").asText());
            try (Stream<Path> files = Files.list(out.resolve("b/blobs/sha256"))) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .contains(layer.path("digest").asText().substring(7));
            }
        }
        Tools.run(
                "umoci",
                "unpack",
                "--rootless",
                "--image",
                out.resolve("a") + ":latest",
                out.resolve("bundle").toString());
        assertThat(out.resolve("bundle/rootfs/www/index.html")).hasContent("<h1>hi</h1>");
    }

    @Test
    void everyOutputFormatIsReadBySkopeoAndUnpackedByUmoci() throws Exception {
        BuildResult r = build(
                new Output.OciLayout(out.resolve("layout")),
                new Output.OciArchive(out.resolve("oci.tar")),
                new Output.DockerArchive(out.resolve("docker.tar")));
        String digest = r.image().digest().toString();
        JsonNode layout = Json.parse(Tools.run("skopeo", "inspect", "oci:" + out.resolve("layout") + ":latest")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(layout.path("Digest").asText()).isEqualTo(digest);
        assertThat(layout.path("Labels").path("com.urunc.unikernel.hypervisor").asText())
                .isEqualTo("qemu");
        JsonNode archive = Json.parse(Tools.run("skopeo", "inspect", "oci-archive:" + out.resolve("oci.tar"))
                .getBytes(StandardCharsets.UTF_8));
        assertThat(archive.path("Digest").asText()).isEqualTo(digest);
        JsonNode raw = Json.parse(Tools.run("skopeo", "inspect", "--raw", "oci-archive:" + out.resolve("oci.tar"))
                .getBytes(StandardCharsets.UTF_8));
        assertThat(raw.path("annotations")
                        .path("com.urunc.unikernel.unikernelType")
                        .asText())
                .isEqualTo("linux");
        JsonNode docker =
                Json.parse(Tools.run("skopeo", "inspect", "--config", "docker-archive:" + out.resolve("docker.tar"))
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(docker.path("config")
                        .path("Labels")
                        .path("com.urunc.unikernel.unikernelType")
                        .asText())
                .isEqualTo("linux");
        assertThat(docker.path("config").path("Cmd").get(1).asText()).isEqualTo("httpd");

        // umoci unpacks the layout directly, and the two archives after skopeo turns them into layouts
        Tools.run("skopeo", "copy", "oci-archive:" + out.resolve("oci.tar"), "oci:" + out.resolve("from-oci") + ":x");
        Tools.run(
                "skopeo",
                "copy",
                "docker-archive:" + out.resolve("docker.tar"),
                "oci:" + out.resolve("from-docker") + ":x");
        for (String image : new String[] {
            out.resolve("layout") + ":latest", out.resolve("from-oci") + ":x", out.resolve("from-docker") + ":x"
        }) {
            Path bundle = out.resolve("bundle-" + Math.abs(image.hashCode()));
            Tools.run("umoci", "unpack", "--image", image, bundle.toString());
            Path rootfs = bundle.resolve("rootfs");
            assertThat(Files.isExecutable(rootfs.resolve("bin/busybox"))).isTrue();
            assertThat(Files.readString(rootfs.resolve("www/index.html"))).isEqualTo("<h1>hi</h1>\n");
            assertThat(Files.isExecutable(rootfs.resolve("www/cgi-bin/echo"))).isTrue();
            JsonNode urunc = Json.parse(Files.readAllBytes(rootfs.resolve("urunc.json")));
            assertThat(new String(Base64.getDecoder()
                            .decode(urunc.path("com.urunc.unikernel.hypervisor").asText())))
                    .isEqualTo("qemu");
            assertThat(Files.getLastModifiedTime(rootfs.resolve("bin/busybox")).toMillis())
                    .isEqualTo(1000);
        }
    }

    @Test
    void severalPlatformsMakeAnIndexAndContainerdGetsAnArchive() throws Exception {
        TestFiles.write(
                ctx,
                "Containerfile",
                "FROM scratch\nARG TARGETARCH\nCOPY www /www\nLABEL arch=${TARGETARCH}\n",
                "rw-r--r--");
        BuildResult r = builder.build(BuildRequest.builder(ctx, "demo/multi:1")
                .platform(Platform.parse("linux/amd64"))
                .platform(Platform.parse("linux/arm64"))
                .output(new Output.OciLayout(out.resolve("l")))
                .output(new Output.Containerd("/run/x.sock", "ns", "native"))
                .build());
        assertThat(r.image().mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(r.manifests()).extracting(d -> d.platform().architecture()).containsExactly("amd64", "arm64");
        JsonNode idx = Json.parse(Tools.run("skopeo", "inspect", "--raw", "oci:" + out.resolve("l") + ":1")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(idx.path("manifests")).hasSize(2);
        JsonNode arm =
                Json.parse(Tools.run("skopeo", "--override-arch", "arm64", "inspect", "oci:" + out.resolve("l") + ":1")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(arm.path("Labels").path("arch").asText()).isEqualTo("arm64");
        assertThat(ctrCalls).containsExactly(List.of("/run/x.sock", "ns", "native", "containerd-import.tar"));
        assertThatThrownBy(() -> builder.build(BuildRequest.builder(ctx, "demo/multi:1")
                        .platform(Platform.parse("linux/amd64"))
                        .platform(Platform.parse("linux/arm64"))
                        .output(new Output.DockerArchive(out.resolve("d.tar")))
                        .build()))
                .isInstanceOf(OutputException.class)
                .hasMessageContaining("docker-archive holds one platform");
        assertThat(out.resolve("d.tar")).doesNotExist();
    }

    @Test
    void existingLayoutGetsTheNewTagAndKeepsOthers() throws Exception {
        build(new Output.OciLayout(out.resolve("l")));
        TestFiles.write(ctx, "Containerfile", "FROM scratch\nCOPY www /www\n", "rw-r--r--");
        builder.build(BuildRequest.builder(ctx, "demo/echo:second")
                .output(new Output.OciLayout(out.resolve("l")))
                .build());
        Tools.run("skopeo", "inspect", "oci:" + out.resolve("l") + ":latest");
        Tools.run("skopeo", "inspect", "oci:" + out.resolve("l") + ":second");
    }

    @Test
    void badInputLeavesNothingBehind() throws Exception {
        TestFiles.write(
                ctx,
                "Containerfile",
                "FROM scratch\nCOPY www /www\nLABEL com.urunc.unikernel.unikernelType=linux\n",
                "rw-r--r--");
        // a private parent for the work directory: other builds on this machine use java.io.tmpdir
        Path work = Files.createDirectories(cache.resolve("work"));
        builder = builder.withWorkParent(work);
        assertThatThrownBy(() ->
                        build(new Output.OciArchive(out.resolve("x.tar")), new Output.OciLayout(out.resolve("dir"))))
                .isInstanceOf(BuildFileException.class)
                .hasMessage(
                        ctx.resolve("Containerfile") + ":3: missing required urunc key com.urunc.unikernel.hypervisor"
                                + " \u2014 e.g. LABEL com.urunc.unikernel.hypervisor=qemu (or firecracker, cloud-hypervisor, hvt, spt)");
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.toList()).isEmpty();
        }
        try (Stream<Path> s = Files.list(work)) {
            assertThat(s.toList()).isEmpty();
        }
    }
}
