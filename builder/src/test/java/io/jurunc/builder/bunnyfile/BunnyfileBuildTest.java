package io.jurunc.builder.bunnyfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.builder.BuildFileException;
import io.jurunc.builder.TestBuilders;
import io.jurunc.builder.TestFiles;
import io.jurunc.builder.Tools;
import io.jurunc.builder.build.BuildRequest;
import io.jurunc.builder.build.ImageBuilder;
import io.jurunc.builder.image.Json;
import io.jurunc.builder.output.Output;
import io.jurunc.builder.registry.Credentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds bunnyfiles end to end and checks the rootfs with cpio, debugfs and fsck.erofs. */
class BunnyfileBuildTest {
    @TempDir
    Path ctx;

    @TempDir
    Path out;

    ImageBuilder builder;

    @BeforeEach
    void setUp() {
        builder = TestBuilders.caching(Credentials.NONE, out.resolve("cache"));
        TestFiles.write(ctx, "kernel", TestFiles.elf(183), "rw-r--r--");
        TestFiles.write(ctx, "app/chttp", "#!/bin/sh\necho hi\n", "rwxr-xr-x");
        TestFiles.write(ctx, "conf/srv.conf", "port=80\n", "rw-r--r--");
    }

    private Path build(String rootfs) throws Exception {
        TestFiles.write(
                ctx,
                "bunnyfile",
                """
                #syntax=harbor.nbfc.io/nubificus/bunny:latest
                version: v0.1
                platforms:
                  framework: %s
                  version: 0.17.0
                  monitor: qemu
                %s
                kernel:
                  from: local
                  path: kernel
                cmd: ["/chttp", "-p", "80"]
                envs: ["MODE=test"]
                """.formatted(rootfs.contains("block") ? "rumprun" : "unikraft", rootfs),
                "rw-r--r--");
        Path layout = out.resolve("l" + System.nanoTime());
        builder.build(BuildRequest.builder(ctx, "demo/bunny:1")
                .output(new Output.OciLayout(layout))
                .build());
        Path bundle = out.resolve("b" + System.nanoTime());
        Tools.run("umoci", "unpack", "--image", layout + ":1", bundle.toString());
        return bundle;
    }

    private static JsonNode annotations(Path bundle) throws Exception {
        return Json.parse(Files.readAllBytes(bundle.resolve("config.json"))).path("annotations");
    }

    @Test
    void initrdIsANewcCpioThatCpioLists() throws Exception {
        Path bundle = build("rootfs:\n  include:\n    - app/chttp:/chttp\n    - conf:/etc/conf\n");
        Path rootfs = bundle.resolve("rootfs");
        assertThat(Files.readAllBytes(rootfs.resolve(".boot/kernel"))).isEqualTo(TestFiles.elf(183));
        String list = Tools.run("sh", "-c", "cpio -itv < " + rootfs.resolve(".boot/rootfs"));
        assertThat(list)
                .contains("chttp")
                .contains("etc/conf/srv.conf")
                .contains("drwxr-xr-x")
                .contains("-rwxr-xr-x");
        Path x = out.resolve("x");
        Files.createDirectories(x);
        Tools.run("sh", "-c", "cd " + x + " && cpio -id --quiet < " + rootfs.resolve(".boot/rootfs"));
        assertThat(Files.readString(x.resolve("etc/conf/srv.conf"))).isEqualTo("port=80\n");
        JsonNode a = annotations(bundle);
        assertThat(a.path("com.urunc.unikernel.unikernelType").asText()).isEqualTo("unikraft");
        assertThat(a.path("com.urunc.unikernel.binary").asText()).isEqualTo("/.boot/kernel");
        assertThat(a.path("com.urunc.unikernel.initrd").asText()).isEqualTo("/.boot/rootfs");
        assertThat(a.path("com.urunc.unikernel.cmdline").asText()).isEqualTo("/chttp -p 80");
        assertThat(a.path("com.urunc.unikernel.mountRootfs").asText()).isEqualTo("false");
        assertThat(a.path("com.urunc.unikernel.unikernelVersion").asText()).isEqualTo("0.17.0");
        JsonNode urunc = Json.parse(Files.readAllBytes(rootfs.resolve("urunc.json")));
        assertThat(new String(
                        Base64.getDecoder()
                                .decode(urunc.path("com.urunc.unikernel.initrd").asText()),
                        StandardCharsets.UTF_8))
                .isEqualTo("/.boot/rootfs");
        JsonNode process =
                Json.parse(Files.readAllBytes(bundle.resolve("config.json"))).path("process");
        assertThat(process.path("args").toString()).isEqualTo("[\"/chttp\",\"-p\",\"80\"]");
        assertThat(process.path("env").toString()).contains("MODE=test");
    }

    @Test
    void rawPutsIncludesInTheImageRoot() throws Exception {
        Path bundle = build("rootfs:\n  type: raw\n  include:\n    - conf:/data/conf\n");
        assertThat(Files.readString(bundle.resolve("rootfs/data/conf/srv.conf")))
                .isEqualTo("port=80\n");
        assertThat(annotations(bundle).path("com.urunc.unikernel.mountRootfs").asText())
                .isEqualTo("true");
        assertThat(bundle.resolve("rootfs/.boot/rootfs")).doesNotExist();
    }

    @Test
    void blockExt4AndErofsImagesAreMadeWithMkfs() throws Exception {
        Path ext4 = build("rootfs:\n  type: block\n  include:\n    - conf:/conf\n    - app/chttp:/bin/chttp\n");
        JsonNode a = annotations(ext4);
        assertThat(a.path("com.urunc.unikernel.block").asText()).isEqualTo("/.boot/rootfs");
        assertThat(a.path("com.urunc.unikernel.blkMntPoint").asText()).isEqualTo("/data");
        String cat = Tools.run(
                "debugfs",
                "-R",
                "cat /conf/srv.conf",
                ext4.resolve("rootfs/.boot/rootfs").toString());
        assertThat(cat).contains("port=80");
        Path erofs = build("rootfs:\n  type: block\n  fs: erofs\n  include:\n    - conf:/conf\n");
        Path x = out.resolve("erofs-x");
        Tools.run(
                "fsck.erofs",
                "--extract=" + x,
                erofs.resolve("rootfs/.boot/rootfs").toString());
        assertThat(Files.readString(x.resolve("conf/srv.conf"))).isEqualTo("port=80\n");
    }

    @Test
    void blockImagesAreReproducible() throws Exception {
        for (String fs : new String[] {"ext4", "erofs"}) {
            TestFiles.write(
                    ctx,
                    "bunnyfile",
                    "version: v0.1\nplatforms: {framework: linux, monitor: qemu}\nkernel: {from: local, path: kernel}\n"
                            + "rootfs:\n  type: block\n  fs: " + fs
                            + "\n  include: [\"conf:/etc/conf\", \"app:/app\"]\n",
                    "rw-r--r--");
            String first = builder.build(BuildRequest.builder(ctx, "demo/b:1")
                            .output(new Output.OciArchive(out.resolve(fs + "1.tar")))
                            .build())
                    .image()
                    .digest()
                    .toString();
            Thread.sleep(1100); // a clock tick later: host times must not leak into the image
            String second = builder.build(BuildRequest.builder(ctx, "demo/b:1")
                            .output(new Output.OciArchive(out.resolve(fs + "2.tar")))
                            .build())
                    .image()
                    .digest()
                    .toString();
            assertThat(second).as(fs).isEqualTo(first);
        }
    }

    @Test
    void architectureFieldIsHonouredAndCheckedAgainstTheKernel() throws Exception {
        TestFiles.write(
                ctx,
                "bunnyfile",
                "version: v0.1\nplatforms:\n  framework: unikraft\n  monitor: qemu\n  architecture: x86_64\nkernel: {from: local, path: kernel}\n",
                "rw-r--r--");
        assertThatThrownBy(() -> builder.build(BuildRequest.builder(ctx, "demo/bunny:1")
                        .output(new Output.OciLayout(out.resolve("z")))
                        .build()))
                .isInstanceOf(BuildFileException.class)
                .hasMessageStartingWith(
                        ctx.resolve("bunnyfile") + ":6: kernel is an arm64 binary but the platform is linux/amd64");
        assertThat(out.resolve("z")).doesNotExist();
        TestFiles.write(
                ctx,
                "bunnyfile",
                "version: v0.1\nplatforms: {framework: unikraft, monitor: qemu, architecture: aarch64}\nkernel: {from: local, path: kernel}\nrootfs:\n  type: block\n",
                "rw-r--r--");
        assertThatThrownBy(() -> builder.build(BuildRequest.builder(ctx, "demo/bunny:1")
                        .output(new Output.OciLayout(out.resolve("z")))
                        .build()))
                .hasMessageStartingWith(ctx.resolve("bunnyfile") + ":4: Cannot set block rootfs type for unikraft");
        Path l = out.resolve("ok");
        TestFiles.write(
                ctx,
                "bunnyfile",
                "version: v0.1\nplatforms: {framework: unikraft, monitor: qemu, architecture: aarch64}\nkernel: {from: local, path: kernel}\n",
                "rw-r--r--");
        builder.build(BuildRequest.builder(ctx, "demo/bunny:1")
                .output(new Output.OciLayout(l))
                .build());
        JsonNode cfg =
                Json.parse(Tools.run("skopeo", "--override-arch", "arm64", "inspect", "--config", "oci:" + l + ":1")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(cfg.path("architecture").asText()).isEqualTo("arm64");
    }
}
