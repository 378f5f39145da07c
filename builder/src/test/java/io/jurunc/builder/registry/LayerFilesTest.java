package io.jurunc.builder.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.builder.RegistryException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: files read out of base images honour whiteouts and hard links, and layers are capped. */
class LayerFilesTest {
    @TempDir
    Path dir;

    int n;

    /** Entries: "path=content" for a file, "path/" for a directory, "path=>target" for a hard link, "path->target" for a symlink. */
    private LayerFiles.Layer layer(String... entries) throws Exception {
        Path blob = dir.resolve("layer" + n++ + ".tar.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(blob));
                TarArchiveOutputStream t = new TarArchiveOutputStream(o)) {
            for (String e : entries) {
                TarArchiveEntry te;
                byte[] data = new byte[0];
                if (e.endsWith("/")) {
                    te = new TarArchiveEntry(e);
                } else if (e.contains("=>")) {
                    te = new TarArchiveEntry(e.substring(0, e.indexOf("=>")), TarConstants.LF_LINK);
                    te.setLinkName(e.substring(e.indexOf("=>") + 2));
                } else if (e.contains("->")) {
                    te = new TarArchiveEntry(e.substring(0, e.indexOf("->")), TarConstants.LF_SYMLINK);
                    te.setLinkName(e.substring(e.indexOf("->") + 2));
                } else {
                    int eq = e.indexOf('=');
                    te = new TarArchiveEntry(eq < 0 ? e : e.substring(0, eq));
                    data = (eq < 0 ? "" : e.substring(eq + 1)).getBytes(StandardCharsets.UTF_8);
                    te.setSize(data.length);
                }
                t.putArchiveEntry(te);
                t.write(data);
                t.closeArchiveEntry();
            }
        }
        return new LayerFiles.Layer(blob, true);
    }

    private Optional<String> read(List<LayerFiles.Layer> layers, String path) throws Exception {
        Optional<Path> p = LayerFiles.extract(layers, path, dir, LayerFiles.Limits.DEFAULT);
        return p.isEmpty() ? Optional.empty() : Optional.of(Files.readString(p.get()));
    }

    @Test
    void laterLayersReplaceEarlierOnes() throws Exception {
        List<LayerFiles.Layer> l = List.of(layer("etc/", "etc/a=one"), layer("etc/a=two"));
        assertThat(read(l, "/etc/a")).contains("two");
        assertThat(read(l, "/etc/missing")).isEmpty();
    }

    @Test
    void whiteoutsOpaqueDirectoriesAndParentWhiteoutsRemoveFiles() throws Exception {
        LayerFiles.Layer base = layer("usr/", "usr/lib/", "usr/lib/k=kernel", "usr/bin/x=x", "etc/a=a");
        assertThat(read(List.of(base, layer("usr/lib/.wh.k")), "/usr/lib/k")).isEmpty();
        assertThat(read(List.of(base, layer("usr/.wh.lib")), "/usr/lib/k"))
                .as("parent whiteout")
                .isEmpty();
        assertThat(read(List.of(base, layer("usr/.wh..wh..opq")), "/usr/lib/k"))
                .as("opaque ancestor")
                .isEmpty();
        assertThat(read(List.of(base, layer("usr/lib/.wh..wh..opq", "usr/lib/k=new")), "/usr/lib/k"))
                .as("opaque, then re-added")
                .contains("new");
        assertThat(read(List.of(base, layer("usr/.wh.lib"), layer("usr/lib/k=again")), "/usr/lib/k"))
                .contains("again");
        assertThat(read(List.of(base, layer("usr/lib/.wh.k")), "/usr/bin/x")).contains("x");
        assertThat(read(List.of(base, layer("usr->/opt")), "/usr/lib/k"))
                .as("parent replaced by a symlink")
                .isEmpty();
    }

    @Test
    void hardLinksHaveTheirTargetsContent() throws Exception {
        List<LayerFiles.Layer> l = List.of(layer("bin/", "bin/busybox=bb", "bin/sh=>bin/busybox"));
        assertThat(read(l, "/bin/sh")).contains("bb");
        assertThat(read(List.of(layer("bin/sh=>bin/none")), "/bin/sh")).isEmpty();
    }

    @Test
    void layerAndFileSizesAreCapped() throws Exception {
        List<LayerFiles.Layer> l = List.of(layer("big=" + "x".repeat(5000)));
        assertThatThrownBy(() -> LayerFiles.extract(l, "/big", dir, new LayerFiles.Limits(1 << 20, 100)))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("more than the limit of 100");
        assertThatThrownBy(() -> LayerFiles.extract(l, "/other", dir, new LayerFiles.Limits(2048, 1 << 20)))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("unpacks to more than 2048 bytes");
    }
}
