package io.jurunc.builder.containerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.builder.BuildFileException;
import io.jurunc.builder.TestFiles;
import io.jurunc.builder.image.Platform;
import io.jurunc.builder.plan.BaseImageResolver;
import io.jurunc.builder.plan.FileEntry;
import io.jurunc.builder.plan.ImagePlan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerfilePlannerTest {
    @TempDir
    Path ctx;

    @TempDir
    Path scratch;

    @BeforeEach
    void context() {
        TestFiles.write(ctx, "kernel/vmlinux", TestFiles.elf(62), "rw-r--r--");
        TestFiles.write(ctx, "kernel/arm64", TestFiles.elf(183), "rw-r--r--");
        TestFiles.write(ctx, "app/bin/run", "#!/bin/sh\n", "rwxr-xr-x");
        TestFiles.write(ctx, "app/etc/conf", "x=1\n", "rw-------");
        TestFiles.write(ctx, "a.txt", "a", "rw-r--r--");
        TestFiles.write(ctx, "b.txt", "b", "rw-r--r--");
    }

    private ImagePlan plan(String text) {
        return plan(text, null, Map.of());
    }

    private ImagePlan plan(String text, Platform p, Map<String, String> args) {
        Containerfile cf = ContainerfileParser.parse(Path.of("Containerfile"), text);
        return ContainerfilePlanner.plan(
                cf, new ContainerfilePlanner.Options(ctx, scratch, p, args, null), BaseImageResolver.NONE);
    }

    private static List<String> paths(ImagePlan p, int layer) {
        return p.layers().get(layer).entries().stream()
                .map(e -> e.path() + (e.kind() == FileEntry.Kind.DIRECTORY ? "/" : "") + ":"
                        + Integer.toOctalString(e.mode()))
                .toList();
    }

    @Test
    void dockerCopyRules() {
        ImagePlan p = plan("""
                FROM scratch
                COPY app /opt/app
                COPY a.txt /data/
                COPY a.txt /renamed.txt
                COPY *.txt /many/
                WORKDIR /w
                COPY b.txt rel
                COPY a.txt /opt/app
                """);
        assertThat(paths(p, 0))
                .containsExactly(
                        "opt/app/:755",
                        "opt/app/bin/:755",
                        "opt/app/bin/run:755",
                        "opt/app/etc/:755",
                        "opt/app/etc/conf:644");
        assertThat(paths(p, 1)).containsExactly("data/a.txt:644");
        assertThat(paths(p, 2)).containsExactly("renamed.txt:644");
        assertThat(paths(p, 3)).containsExactly("many/a.txt:644", "many/b.txt:644");
        assertThat(paths(p, 4)).containsExactly("w/:755");
        assertThat(paths(p, 5)).containsExactly("w/rel:644");
        // an existing directory in the image takes the file inside it, as Docker does
        assertThat(paths(p, 6)).containsExactly("opt/app/a.txt:644");
        assertThat(p.config().workingDir()).isEqualTo("/w");
        assertThat(p.annotations()).isEmpty();
    }

    @Test
    void copyErrorsNameTheLine() {
        assertThatThrownBy(() -> plan("FROM scratch\nCOPY a.txt b.txt /notdir\n"))
                .isInstanceOf(BuildFileException.class)
                .hasMessageStartingWith("Containerfile:2: with several sources");
        assertThatThrownBy(() -> plan("FROM scratch\n\nCOPY missing /x\n"))
                .hasMessageStartingWith("Containerfile:3: COPY source \"missing\" does not exist");
        assertThatThrownBy(() -> plan("FROM scratch\nCOPY ../etc/passwd /x\n"))
                .hasMessageStartingWith("Containerfile:2: COPY source \"../etc/passwd\" is outside the build context");
        assertThatThrownBy(() -> plan("FROM scratch\nADD https://example.com/x /x\n"))
                .hasMessageStartingWith("Containerfile:2: ADD from a URL");
        assertThatThrownBy(() -> plan("FROM scratch\nCOPY --chown=bob a.txt /x\n"))
                .hasMessageStartingWith("Containerfile:2: --chown \"bob\" is not numeric");
        assertThatThrownBy(() -> plan("FROM scratch\nCOPY *.nope /x/\n"))
                .hasMessageStartingWith("Containerfile:2: COPY pattern");
        assertThatThrownBy(() -> plan("COPY a.txt /x\n"))
                .hasMessageStartingWith("Containerfile:1: instruction before FROM");
        assertThatThrownBy(() -> plan("FROM scratch\nFROM scratch\n"))
                .hasMessageStartingWith("Containerfile:2: a second FROM");
    }

    @Test
    void labelsInDockerAndBimaFormsAndVariables() {
        ImagePlan p = plan("""
                ARG VER=1.0
                FROM scratch
                ARG VER
                ENV NAME=demo PATH_X="/a b"
                LABEL one=1 "two"="2 2" three='${NAME}'
                LABEL com.example.cmdline=redis-server /data/conf/redis.conf
                LABEL com.example.quoted="quoted value"
                LABEL legacy value with spaces
                LABEL version=$VER
                """);
        Map<String, String> l = p.config().labels();
        assertThat(l)
                .containsEntry("one", "1")
                .containsEntry("two", "2 2")
                .containsEntry("three", "${NAME}")
                .containsEntry("com.example.cmdline", "redis-server /data/conf/redis.conf")
                .containsEntry("com.example.quoted", "quoted value")
                .containsEntry("legacy", "value with spaces")
                .containsEntry("version", "1.0");
        assertThat(p.config().env()).containsEntry("NAME", "demo").containsEntry("PATH_X", "/a b");
        assertThatThrownBy(() -> plan("FROM scratch\nLABEL novalue\n"))
                .hasMessageStartingWith("Containerfile:2: malformed LABEL");
        assertThatThrownBy(() -> plan("FROM scratch\nLABEL a=\"open\n"))
                .hasMessageStartingWith("Containerfile:2: malformed LABEL: unterminated");
        assertThatThrownBy(() -> plan("FROM scratch\nENV A=1 B\n"))
                .hasMessageStartingWith("Containerfile:2: malformed ENV");
    }

    @Test
    void uruncMetadataThreeWaysAndArchitectureFromKernel() throws Exception {
        ImagePlan p = plan("""
                FROM scratch
                COPY kernel/arm64 /unikernel/app
                LABEL com.urunc.unikernel.unikernelType=unikraft
                LABEL com.urunc.unikernel.hypervisor=qemu
                LABEL com.urunc.unikernel.binary=/unikernel/app
                LABEL com.urunc.unikernel.cmdline="app -v"
                """);
        assertThat(p.platform()).isEqualTo(Platform.linux("arm64"));
        assertThat(p.annotations())
                .containsEntry("com.urunc.unikernel.binary", "/unikernel/app")
                .containsEntry("com.urunc.unikernel.mountRootfs", "true");
        assertThat(p.config().labels()).containsAllEntriesOf(p.annotations());
        assertThat(p.config().cmd()).containsExactly("app", "-v");
        FileEntry json = p.layers().getLast().entries().getFirst();
        assertThat(json.path()).isEqualTo("urunc.json");
        String text = new String(((FileEntry.Content.InMemory) json.content()).bytes(), StandardCharsets.UTF_8);
        assertThat(text)
                .startsWith("{\"com.urunc.unikernel.binary\":\""
                        + Base64.getEncoder().encodeToString("/unikernel/app".getBytes()) + "\"");
    }

    @Test
    void bimaReadmeContainerfileBuildsAsIs() {
        TestFiles.write(ctx, "test-redis.hvt", TestFiles.elf(62), "rwxr-xr-x");
        TestFiles.write(ctx, "redis.conf", "port 6379\n", "rw-r--r--");
        ImagePlan p = plan("""
                #syntax=harbor.nbfc.io/nubificus/bima:latest
                FROM scratch
                COPY test-redis.hvt /unikernel/
                COPY redis.conf /conf/
                LABEL com.urunc.unikernel.binary=/unikernel/test-redis.hvt
                LABEL "com.urunc.unikernel.cmdline"='redis-server /data/conf/redis.conf'
                LABEL "com.urunc.unikernel.unikernelType"="rumprun"
                LABEL "com.urunc.unikernel.hypervisor"="qemu"
                LABEL com.urunc.unikernel.blkMntPoint=/data
                LABEL com.urunc.unikernel.netcfg='{"net": {"if": "ukvmif0", "cloner": "True"}}'
                """);
        assertThat(paths(p, 0)).containsExactly("unikernel/test-redis.hvt:755");
        assertThat(paths(p, 1)).containsExactly("conf/redis.conf:644");
        assertThat(p.annotations())
                .containsEntry("com.urunc.unikernel.cmdline", "redis-server /data/conf/redis.conf")
                .containsEntry("com.urunc.unikernel.unikernelType", "rumprun")
                .containsEntry("com.urunc.unikernel.netcfg", "{\"net\": {\"if\": \"ukvmif0\", \"cloner\": \"True\"}}");
        assertThat(p.config().cmd()).containsExactly("redis-server", "/data/conf/redis.conf");
        assertThat(p.platform()).isEqualTo(Platform.linux("amd64"));
    }

    @Test
    void uruncValidationErrors() {
        assertThatThrownBy(() -> plan("FROM scratch\nLABEL com.urunc.unikernel.unikernelType=linux\n"))
                .hasMessageStartingWith("Containerfile:2: missing required urunc key com.urunc.unikernel.hypervisor");
        assertThatThrownBy(
                        () -> plan(
                                "FROM scratch\nLABEL com.urunc.unikernel.unikernelType=unikraft\nLABEL com.urunc.unikernel.hypervisor=qemu\n"))
                .hasMessageStartingWith("Containerfile:2: missing required urunc key com.urunc.unikernel.binary");
        assertThatThrownBy(() -> plan(
                        "FROM scratch\nLABEL com.urunc.unikernel.unikernelType=unikraft com.urunc.unikernel.hypervisor=qemu\n"
                                + "LABEL com.urunc.unikernel.binary=/not/there\n"))
                .hasMessageStartingWith(
                        "Containerfile:3: kernel /not/there named by com.urunc.unikernel.binary is not in the image");
        assertThatThrownBy(() -> plan(
                        "FROM scratch\nLABEL com.urunc.unikernel.unikernelType=linux com.urunc.unikernel.hypervisor=qemu\n"
                                + "LABEL com.urunc.unikernel.mountRootfs=maybe\n"))
                .hasMessageStartingWith("Containerfile:3: com.urunc.unikernel.mountRootfs must be a boolean");
        assertThatThrownBy(() -> plan(
                        "FROM scratch\nLABEL com.urunc.unikernel.unikernelType=linux com.urunc.unikernel.hypervisor=qemu\n"
                                + "LABEL com.urunc.unikernel.initrd=../x\n"))
                .hasMessageStartingWith("Containerfile:3: com.urunc.unikernel.initrd \"../x\" is not a clean path");
        assertThatThrownBy(() -> plan(
                        "FROM scratch\nCOPY kernel/arm64 /k\nLABEL com.urunc.unikernel.unikernelType=unikraft com.urunc.unikernel.hypervisor=qemu com.urunc.unikernel.binary=/k\n",
                        Platform.linux("amd64"),
                        Map.of()))
                .hasMessageStartingWith(
                        "Containerfile:3: kernel /k is an arm64 binary but the platform is linux/amd64");
    }

    @Test
    void kernelOptionAddsTheHostKernelForLinuxImages() {
        Containerfile cf = ContainerfileParser.parse(
                Path.of("Containerfile"),
                "FROM scratch\nLABEL com.urunc.unikernel.unikernelType=linux com.urunc.unikernel.hypervisor=qemu\n");
        ImagePlan p = ContainerfilePlanner.plan(
                cf,
                new ContainerfilePlanner.Options(ctx, scratch, null, Map.of(), ctx.resolve("kernel/arm64")),
                BaseImageResolver.NONE);
        assertThat(paths(p, 0)).containsExactly(".boot/kernel:644");
        assertThat(p.annotations()).containsEntry("com.urunc.unikernel.binary", "/.boot/kernel");
        assertThat(p.platform().architecture()).isEqualTo("arm64");
        // without --kernel a linux image may leave binary out: the runtime's default kernel is used
        assertThat(
                        plan("FROM scratch\nLABEL com.urunc.unikernel.unikernelType=linux com.urunc.unikernel.hypervisor=qemu\n")
                                .annotations())
                .doesNotContainKey("com.urunc.unikernel.binary");
    }

    @Test
    void targetArchSelectsPerPlatformFiles() {
        String text = "FROM scratch\nARG TARGETARCH\nCOPY kernel/${TARGETARCH} /k\n";
        TestFiles.write(ctx, "kernel/amd64", TestFiles.elf(62), "rw-r--r--");
        ImagePlan arm = plan(text, Platform.linux("arm64"), Map.of());
        ImagePlan amd = plan(text, Platform.linux("amd64"), Map.of());
        assertThat(((FileEntry.Content.OnDisk)
                                arm.layers().getFirst().entries().getFirst().content())
                        .file()
                        .getFileName()
                        .toString())
                .isEqualTo("arm64");
        assertThat(((FileEntry.Content.OnDisk)
                                amd.layers().getFirst().entries().getFirst().content())
                        .file()
                        .getFileName()
                        .toString())
                .isEqualTo("amd64");
        ImagePlan withArg = plan("FROM scratch\nARG K=vmlinux\nCOPY kernel/$K /k\n", null, Map.of("K", "arm64"));
        assertThat(((FileEntry.Content.OnDisk)
                                withArg.layers().getFirst().entries().getFirst().content())
                        .file()
                        .getFileName()
                        .toString())
                .isEqualTo("arm64");
    }

    @Test
    void addUnpacksLocalTarArchives() throws Exception {
        Path tgz = ctx.resolve("files.tar.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(tgz));
                var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(out)) {
            var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("etc/motd");
            e.setSize(2);
            e.setMode(0100600);
            tar.putArchiveEntry(e);
            tar.write("hi".getBytes());
            tar.closeArchiveEntry();
        }
        ImagePlan p = plan("FROM scratch\nADD files.tar.gz /srv/\nCOPY files.tar.gz /srv/\n");
        assertThat(paths(p, 0)).containsExactly("srv/etc/motd:600");
        assertThat(paths(p, 1)).containsExactly("srv/files.tar.gz:644");
    }
}
