package io.jurunc.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.builder.build.BuildRequest;
import io.jurunc.builder.build.BuildResult;
import io.jurunc.builder.build.ImageBuilder;
import io.jurunc.builder.image.BlobStore;
import io.jurunc.builder.image.FileTrees;
import io.jurunc.builder.image.Json;
import io.jurunc.builder.layer.TarLayerWriter;
import io.jurunc.builder.os.NoFollowFiles;
import io.jurunc.builder.output.Output;
import io.jurunc.builder.plan.ContextCopier;
import io.jurunc.builder.plan.FileEntry;
import io.jurunc.builder.plan.ImageTree;
import io.jurunc.builder.plan.LayerSpec;
import io.jurunc.builder.registry.Credentials;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Build contexts are hostile (issue 11): nothing a context holds may make the builder read a host
 * file outside it or write outside its own work directory. Each test here failed before its fix.
 */
class BuildInputEscapeTest {
    @TempDir
    Path ctx;

    @TempDir
    Path out;

    @TempDir
    Path host;

    ImageBuilder builder;

    @BeforeEach
    void setUp() {
        builder = TestBuilders.caching(Credentials.NONE, out.resolve("cache")).withWorkParent(out);
        TestFiles.write(ctx, "kernel", TestFiles.elf(62), "rw-r--r--");
        TestFiles.write(host, "secret.txt", "host secret\n", "rw-r--r--");
    }

    private BuildResult build(String tag) {
        return builder.build(BuildRequest.builder(ctx, tag)
                .output(new Output.OciLayout(out.resolve("l" + System.nanoTime())))
                .build());
    }

    private void containerfile(String body) {
        TestFiles.write(
                ctx,
                "Containerfile",
                "FROM scratch\n" + body
                        + "LABEL com.urunc.unikernel.unikernelType=linux com.urunc.unikernel.hypervisor=qemu\n",
                "rw-r--r--");
    }

    @Test
    void blockRootfsDoesNotWriteThroughASymlinkInTheRootfs() throws Exception {
        Path victim = Files.createDirectories(host.resolve("victim"));
        Files.createDirectories(ctx.resolve("tree"));
        Files.createSymbolicLink(ctx.resolve("tree/evil"), victim);
        TestFiles.write(ctx, "payload/x", "written by a build\n", "rw-r--r--");
        TestFiles.write(ctx, "bunnyfile", """
                version: v0.1
                platforms: {framework: rumprun, monitor: qemu}
                kernel: {from: local, path: kernel}
                rootfs:
                  type: block
                  include:
                    - tree:/t
                    - payload/x:/t/evil/x
                """, "rw-r--r--");
        assertThatThrownBy(() -> build("demo/block:1"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("/t/evil/x lies under a symlink");
        assertThat(victim.resolve("x")).doesNotExist();
        try (var s = Files.list(out)) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith("jurunc-build-"))
                            .toList())
                    .isEmpty();
        }
    }

    @Test
    void copyOfALinkToAHostFileIsRefused() throws Exception {
        Files.createSymbolicLink(ctx.resolve("leak"), host.resolve("secret.txt"));
        containerfile("COPY leak /leak\n");
        assertThatThrownBy(() -> build("demo/leak:1"))
                .isInstanceOf(BuildFileException.class)
                .hasMessageContaining("leads out of the build context through a symlink");
    }

    @Test
    void copyThroughALinkedDirectoryIsRefused() throws Exception {
        Files.createSymbolicLink(ctx.resolve("dir"), host);
        containerfile("COPY dir/secret.txt /x\n");
        assertThatThrownBy(() -> build("demo/leak:2"))
                .isInstanceOf(BuildFileException.class)
                .hasMessageContaining("leads out of the build context through a symlink");
        containerfile("COPY di* /d/\n");
        assertThatThrownBy(() -> build("demo/leak:3"))
                .isInstanceOf(BuildFileException.class)
                .hasMessageContaining("leads out of the build context through a symlink");
    }

    @Test
    void linksInsideTheContextStillWork() throws Exception {
        TestFiles.write(ctx, "real/a.txt", "inside\n", "rw-r--r--");
        Files.createSymbolicLink(ctx.resolve("alias"), ctx.resolve("real/a.txt"));
        Files.createSymbolicLink(ctx.resolve("real/rel"), Path.of("a.txt"));
        containerfile("COPY alias /etc/\nCOPY real /real\n");
        BuildResult r = build("demo/inside:1");
        assertThat(r.image().digest()).isNotNull();
    }

    @Test
    void bunnyfileKernelAndIncludesThroughALinkAreRefused() throws Exception {
        Files.createSymbolicLink(ctx.resolve("klink"), host.resolve("secret.txt"));
        TestFiles.write(
                ctx,
                "bunnyfile",
                "version: v0.1\nplatforms: {framework: unikraft, monitor: qemu}\n"
                        + "kernel: {from: local, path: klink}\n",
                "rw-r--r--");
        assertThatThrownBy(() -> build("demo/b:1"))
                .isInstanceOf(BuildFileException.class)
                .hasMessageContaining("kernel klink leads out of the build context through a symlink");
        TestFiles.write(
                ctx,
                "bunnyfile",
                "version: v0.1\nplatforms: {framework: unikraft, monitor: qemu}\n"
                        + "kernel: {from: local, path: kernel}\nrootfs:\n  include:\n    - klink:/x\n",
                "rw-r--r--");
        assertThatThrownBy(() -> build("demo/b:2"))
                .isInstanceOf(BuildFileException.class)
                .hasMessageContaining("leads out of the build context through a symlink");
    }

    @Test
    void bunnyfileWithARelativeContextBuilds() throws Exception {
        // the test JVM's working directory is the module; "." as the context is what `jurunc build .` passes
        Path rel = Path.of("target", "relctx-" + System.nanoTime());
        try {
            TestFiles.write(rel, "kernel", TestFiles.elf(62), "rw-r--r--");
            Path bunnyfile = TestFiles.write(
                    rel,
                    "bunnyfile",
                    "version: v0.1\nplatforms: {framework: unikraft, monitor: qemu}\n" + "kernel: {from: local, path: "
                            + rel + "/kernel}\n",
                    "rw-r--r--");
            BuildResult r = builder.build(BuildRequest.builder(Path.of("."), "demo/rel:1")
                    .file(bunnyfile.toAbsolutePath())
                    .output(new Output.OciLayout(out.resolve("rel")))
                    .build());
            assertThat(r.image().digest()).isNotNull();
        } finally {
            FileTrees.deleteQuietly(rel);
        }
    }

    @Test
    void addKeepsHardLinksAndCapsArchiveSize() throws Exception {
        Path tar = ctx.resolve("files.tar");
        try (OutputStream o = Files.newOutputStream(tar);
                TarArchiveOutputStream t = new TarArchiveOutputStream(o)) {
            byte[] data = "shared content\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry a = new TarArchiveEntry("a.txt");
            a.setSize(data.length);
            a.setMode(0100644);
            t.putArchiveEntry(a);
            t.write(data);
            t.closeArchiveEntry();
            TarArchiveEntry b = new TarArchiveEntry("b.txt", TarConstants.LF_LINK);
            b.setLinkName("a.txt");
            t.putArchiveEntry(b);
            t.closeArchiveEntry();
        }
        containerfile("ADD files.tar /data/\n");
        BuildResult r = build("demo/add:1");
        Path layout = out.resolve(findLayout());
        JsonNode manifest = Json.parse(Files.readAllBytes(
                layout.resolve("blobs/sha256/" + r.image().digest().hex())));
        List<String> seen = new ArrayList<>();
        for (JsonNode l : manifest.path("layers")) {
            try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(layout.resolve(
                            "blobs/sha256/" + l.path("digest").asText().substring(7))));
                    TarArchiveInputStream t = new TarArchiveInputStream(in)) {
                TarArchiveEntry e;
                while ((e = t.getNextEntry()) != null) {
                    seen.add(e.getName() + (e.isLink() ? " -> " + e.getLinkName() : ""));
                }
            }
        }
        assertThat(seen).contains("data/a.txt", "data/b.txt -> data/a.txt");
        Path bundle = out.resolve("bundle");
        Tools.run("umoci", "unpack", "--rootless", "--image", layout + ":1", bundle.toString());
        assertThat(bundle.resolve("rootfs/data/b.txt")).hasContent("shared content");

        ContextCopier small = new ContextCopier(ctx, Files.createDirectories(out.resolve("scratch")), 10);
        assertThatThrownBy(() -> small.copy(
                        new ContextCopier.Request(
                                new Location(ctx.resolve("Containerfile"), 2),
                                "ADD",
                                List.of("files.tar"),
                                "/data/",
                                null,
                                0,
                                0,
                                true),
                        new ImageTree()))
                .isInstanceOf(BuildFileException.class)
                .hasMessageContaining("unpacks to more than 10 bytes");
    }

    private String findLayout() throws Exception {
        try (var s = Files.list(out)) {
            return s.filter(p -> p.getFileName().toString().startsWith("l"))
                    .findFirst()
                    .orElseThrow()
                    .getFileName()
                    .toString();
        }
    }

    @Test
    void hardLinkEntriesCarryTheirTargetsContent() {
        FileEntry first = FileEntry.bytes("a", new byte[] {1, 2}, 0640);
        FileEntry link = FileEntry.hardLink("b", first);
        assertThat(link.linkTarget()).isEqualTo("a");
        assertThat(link.asFile().kind()).isEqualTo(FileEntry.Kind.FILE);
        assertThat(link.mode()).isEqualTo(0640);
        assertThatThrownBy(() -> FileEntry.hardLink("c", FileEntry.directory("d", 0755)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The TOCTOU of issue 11: a COPY source is checked by its real path when the build is planned and
     * read when the layer is written. Between the two (the plan/write boundary is the seam: no timing
     * involved) a directory on its path is swapped for a link to a host directory; the layer writer
     * must refuse to open the file rather than read the host's. Before the fix it followed the link.
     */
    @Test
    void aDirectorySwappedForALinkAfterTheCheckIsNotFollowed() throws Exception {
        TestFiles.write(ctx, "data/sub/f.txt", "context file\n", "rw-r--r--");
        TestFiles.write(host, "sub/f.txt", "host secret\n", "rw-r--r--");
        List<FileEntry> entries = checked("data");
        Files.move(ctx.resolve("data/sub"), ctx.resolve("data/sub.old"));
        Files.createSymbolicLink(ctx.resolve("data/sub"), host.resolve("sub"));
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        assertThatThrownBy(() -> layerWriter().writeTar(new LayerSpec(entries, "COPY data /data/"), tar))
                .isInstanceOf(NoFollowFiles.ChangedException.class)
                .hasMessageContaining("f.txt");
        assertThat(tar.toString(StandardCharsets.UTF_8)).doesNotContain("host secret");
    }

    /** The same with the file itself swapped for a link to a host file. */
    @Test
    void aFileSwappedForALinkAfterTheCheckIsNotFollowed() throws Exception {
        TestFiles.write(ctx, "data/f.txt", "context file\n", "rw-r--r--");
        List<FileEntry> entries = checked("data/f.txt");
        Files.delete(ctx.resolve("data/f.txt"));
        Files.createSymbolicLink(ctx.resolve("data/f.txt"), host.resolve("secret.txt"));
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        assertThatThrownBy(() -> layerWriter().writeTar(new LayerSpec(entries, "COPY data/f.txt /data/"), tar))
                .isInstanceOf(NoFollowFiles.ChangedException.class);
        assertThat(tar.toString(StandardCharsets.UTF_8)).doesNotContain("host secret");
    }

    /** Unchanged, the same entries are read, and a link inside the context to a context file still works. */
    @Test
    void anUnchangedContextIsReadThroughTheSameWalk() throws Exception {
        TestFiles.write(ctx, "data/sub/f.txt", "context file\n", "rw-r--r--");
        Files.createSymbolicLink(ctx.resolve("alias.txt"), ctx.resolve("data/sub/f.txt"));
        List<FileEntry> entries = new ArrayList<>(checked("data"));
        entries.addAll(checked("alias.txt"));
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        layerWriter().writeTar(new LayerSpec(entries, "COPY"), tar);
        List<String> seen = new ArrayList<>();
        try (TarArchiveInputStream in =
                new TarArchiveInputStream(new java.io.ByteArrayInputStream(tar.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                seen.add(e.getName()
                        + (e.isFile() ? "=" + new String(in.readAllBytes(), StandardCharsets.UTF_8).strip() : ""));
            }
        }
        assertThat(seen).contains("data/sub/f.txt=context file", "data/alias.txt=context file");
    }

    @Test
    void theOpenerRefusesLinksOnTheWayAndNonFiles() throws Exception {
        TestFiles.write(ctx, "d/f", "x", "rw-r--r--");
        Files.createSymbolicLink(ctx.resolve("l"), ctx.resolve("d"));
        try (var ch = NoFollowFiles.open(ctx, ctx.resolve("d/f"))) {
            assertThat(ch.size()).isEqualTo(1);
        }
        assertThatThrownBy(() -> NoFollowFiles.open(ctx, ctx.resolve("l/f")))
                .isInstanceOf(NoFollowFiles.ChangedException.class);
        assertThatThrownBy(() -> NoFollowFiles.open(ctx, ctx.resolve("d")))
                .isInstanceOf(NoFollowFiles.ChangedException.class);
        Tools.run("mkfifo", ctx.resolve("d/fifo").toString());
        assertThatThrownBy(() -> NoFollowFiles.open(ctx, ctx.resolve("d/fifo")))
                .isInstanceOf(NoFollowFiles.ChangedException.class);
        assertThatThrownBy(() -> NoFollowFiles.open(ctx, host.resolve("secret.txt")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private List<FileEntry> checked(String source) throws Exception {
        ContextCopier copier = new ContextCopier(ctx, Files.createDirectories(out.resolve("scratch")));
        return copier.copy(
                new ContextCopier.Request(
                        new Location(ctx.resolve("Containerfile"), 2),
                        "COPY",
                        List.of(source),
                        "/data/",
                        null,
                        0,
                        0,
                        false),
                new ImageTree());
    }

    private TarLayerWriter layerWriter() {
        return new TarLayerWriter(new BlobStore(out), java.time.Instant.EPOCH, 0);
    }
}
