package io.jurunc.builder.bunnyfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.builder.BuildFileException;
import io.jurunc.builder.build.BuildFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BunnyfileParserTest {
    private static final Path F = Path.of("bunnyfile");

    private static Bunnyfile parse(String text) {
        return BunnyfileParser.parse(F, text);
    }

    private static final String VALID = """
            #syntax=harbor.nbfc.io/nubificus/bunny:latest
            version: v0.1
            platforms:
              framework: unikraft
              version: 0.17.0
              monitor: qemu
              architecture: x86_64
            rootfs:
              from: scratch
              type: initrd
              include:
                - chttp:/chttp
                - conf/
                - source: a
                  destination: /b
            kernel:
              from: local
              path: kernel
            cmd: ["/chttp", "-p", "80"]
            envs: ["A=1"]
            """;

    @Test
    void parsesEveryField() {
        Bunnyfile b = parse(VALID);
        assertThat(b.syntax()).isEqualTo("harbor.nbfc.io/nubificus/bunny:latest");
        assertThat(b.platforms())
                .extracting(
                        Bunnyfile.Platforms::framework,
                        Bunnyfile.Platforms::version,
                        Bunnyfile.Platforms::monitor,
                        Bunnyfile.Platforms::architecture)
                .containsExactly("unikraft", "0.17.0", "qemu", "x86_64");
        assertThat(b.rootfs().include())
                .extracting(Bunnyfile.Include::source, Bunnyfile.Include::destination, Bunnyfile.Include::from)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("chttp", "/chttp", "local"),
                        org.assertj.core.groups.Tuple.tuple("conf/", "conf/", "local"),
                        org.assertj.core.groups.Tuple.tuple("a", "/b", "local"));
        assertThat(b.kernel().path()).isEqualTo("kernel");
        assertThat(b.cmd()).containsExactly("/chttp", "-p", "80");
        assertThat(b.envs()).containsExactly("A=1");
        assertThat(BuildFiles.detect(VALID)).isEqualTo(BuildFiles.Kind.BUNNYFILE);
        assertThat(BuildFiles.detect("#syntax=x\n\nFROM scratch\n")).isEqualTo(BuildFiles.Kind.CONTAINERFILE);
    }

    @Test
    void legacyCmdlineIsUsedOnlyWithoutCmd() {
        Bunnyfile b = parse(
                "version: 0.1\nplatforms: {framework: rumprun, monitor: hvt}\nkernel: {from: local, path: k}\ncmdline: redis-server /data/conf/redis.conf\n");
        assertThat(b.cmd()).containsExactly("redis-server", "/data/conf/redis.conf");
        assertThat(b.rootfs()).isNull();
    }

    @Test
    void versionRules() {
        assertThatThrownBy(() -> parse("#syntax=x/y\n"))
                .isInstanceOf(BuildFileException.class)
                .hasMessageStartingWith("bunnyfile:1: The version field is necessary");
        assertThatThrownBy(() -> parse("platforms: {framework: a, monitor: b}\n"))
                .hasMessageStartingWith("bunnyfile:1: The version field is necessary");
        assertThatThrownBy(() -> parse("\nversion: banana\n"))
                .hasMessageStartingWith("bunnyfile:2: Could not parse version in user bunnyfile");
        assertThatThrownBy(() -> parse("version: v0.2\n"))
                .hasMessageStartingWith("bunnyfile:1: Unsupported version v0.2. Please use v0.1 or earlier");
        assertThatThrownBy(() -> parse("version: 1.0\n"))
                .hasMessageStartingWith("bunnyfile:1: Unsupported version 1.0");
        // a component too long for an int is a large version, not a NumberFormatException (found by the fuzzer)
        assertThatThrownBy(() -> parse("version: v0" + "7".repeat(80) + ".1\n"))
                .isInstanceOf(BuildFileException.class)
                .hasMessageContaining("Unsupported version");
        assertThatThrownBy(() -> parse("version: v0.1." + "9".repeat(30) + "\n"))
                .isInstanceOf(BuildFileException.class)
                .hasMessageContaining("Unsupported version");
        assertThatThrownBy(() -> parse("version: v0.1\n  bad: [\n"))
                .hasMessageStartingWith("bunnyfile:")
                .hasMessageContaining("invalid format of input file");
        assertThatThrownBy(() -> parse("#syntax=\nversion: v0.1\n"))
                .hasMessageStartingWith("bunnyfile:1: the #syntax= line names no frontend");
    }

    @Test
    void platformAndKernelRules() {
        assertThatThrownBy(() -> parse("version: v0.1\nplatforms:\n  monitor: qemu\n"))
                .hasMessageStartingWith("bunnyfile:2: The framework field of platforms is necessary");
        assertThatThrownBy(() -> parse("version: v0.1\nplatforms:\n  framework: unikraft\n"))
                .hasMessageStartingWith("bunnyfile:2: The monitor field of platforms is necessary");
        String p = "version: v0.1\nplatforms: {framework: unikraft, monitor: qemu}\n";
        assertThatThrownBy(() -> parse(p)).hasMessageStartingWith("bunnyfile:1: The from field of kernel is necessary");
        assertThatThrownBy(() -> parse(p + "kernel:\n  from: local\n"))
                .hasMessageStartingWith("bunnyfile:3: The path field of kernel is necessary");
        assertThatThrownBy(() -> parse(p + "kernel: {from: local, path: k}\ncmd: notalist\n"))
                .hasMessageStartingWith("bunnyfile:4: cmd must be a list of strings");
    }

    @Test
    void rootfsRules() {
        String p =
                "version: v0.1\nplatforms: {framework: linux, monitor: qemu}\nkernel: {from: local, path: k}\nrootfs:\n";
        assertThatThrownBy(() -> parse(p + "  from: scratch\n  path: r.cpio\n"))
                .hasMessageStartingWith(
                        "bunnyfile:4: The from field of rootfs can not be empty or scratch, if path is set");
        assertThatThrownBy(() -> parse(p + "  path: r.cpio\n"))
                .hasMessageStartingWith(
                        "bunnyfile:4: The from field of rootfs can not be empty or scratch, if path is set");
        assertThatThrownBy(() -> parse(p + "  from: local\n  path: r\n  type: raw\n"))
                .hasMessageStartingWith("bunnyfile:4: The path field in rootfs can not be combined with a raw rootfs");
        assertThatThrownBy(() -> parse(p + "  from: local\n  type: raw\n"))
                .hasMessageStartingWith("bunnyfile:4: If type of rootfs is raw, then from can not be local");
        assertThatThrownBy(() -> parse(p + "  from: local\n  include: [a:b]\n"))
                .hasMessageStartingWith("bunnyfile:4: Invalid combination of includes and from fields");
        assertThatThrownBy(() -> parse(p + "  from: harbor.nbfc.io/x:1\n  type: initrd\n  include: [a:b]\n"))
                .hasMessageStartingWith("bunnyfile:4: Adding files to an existing non-raw rootfs is not yet supported");
        assertThatThrownBy(() -> parse(p + "  type: squash\n"))
                .hasMessageStartingWith("bunnyfile:5: unknown rootfs type \"squash\"");
        assertThatThrownBy(() -> parse(p + "  include:\n    - :b\n"))
                .hasMessageStartingWith("bunnyfile:6: include entry \":b\" has an empty source");
        assertThatThrownBy(() -> parse(p + "  include:\n    - source: a\n"))
                .hasMessageStartingWith("bunnyfile:6: include entry has no destination");
        assertThat(parse(p + "  from: harbor.nbfc.io/x:1\n  type: raw\n  include: [a:b]\n")
                        .rootfs()
                        .from())
                .isEqualTo("harbor.nbfc.io/x:1");
    }
}
