package io.jurunc.builder.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.builder.BuildFileException;
import io.jurunc.builder.Location;
import io.jurunc.builder.TestFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextIgnoreTest {
    @TempDir
    Path ctx;

    @TempDir
    Path scratch;

    @Test
    void dockerPatternRules() {
        ContextIgnore i = ContextIgnore.parse(List.of(
                "# comment", "*.log", "build", "**/secret*", "docs/*.md", "!docs/keep.md", "/tmp?", "[ab].txt"));
        assertThat(i.ignored("x.log")).isTrue();
        assertThat(i.ignored("sub/x.log")).isFalse(); // * stays in one component
        assertThat(i.ignored("build/out/a.o")).isTrue(); // a directory excludes what is below
        assertThat(i.ignored("secret.key")).isTrue(); // **/ matches zero directories too
        assertThat(i.ignored("a/b/secret.key")).isTrue();
        assertThat(i.ignored("docs/x.md")).isTrue();
        assertThat(i.ignored("docs/keep.md")).isFalse(); // the last matching rule wins
        assertThat(i.ignored("tmp1")).isTrue();
        assertThat(i.ignored("a.txt")).isTrue();
        assertThat(i.ignored("c.txt")).isFalse();
        assertThat(ContextIgnore.NONE.ignored("anything")).isFalse();
    }

    @Test
    void copyLeavesIgnoredFilesOutAndRefusesAnIgnoredSource() {
        TestFiles.write(ctx, ".dockerignore", "**/*.tmp\napp/cache\n", "rw-r--r--");
        TestFiles.write(ctx, "app/run", "x", "rwxr-xr-x");
        TestFiles.write(ctx, "app/junk.tmp", "x", "rw-r--r--");
        TestFiles.write(ctx, "app/cache/big", "x", "rw-r--r--");
        ContextCopier c = new ContextCopier(ctx, scratch);
        Location at = new Location(Path.of("Containerfile"), 4);
        List<FileEntry> e = c.copy(
                new ContextCopier.Request(at, "COPY", List.of("app"), "/app", null, 0, 0, false), new ImageTree());
        assertThat(e).extracting(FileEntry::path).containsExactly("app", "app/run");
        assertThatThrownBy(() -> c.copy(
                        new ContextCopier.Request(at, "COPY", List.of("app/junk.tmp"), "/x", null, 0, 0, false),
                        new ImageTree()))
                .isInstanceOf(BuildFileException.class)
                .hasMessageStartingWith("Containerfile:4: COPY source \"app/junk.tmp\" is excluded");
    }
}
