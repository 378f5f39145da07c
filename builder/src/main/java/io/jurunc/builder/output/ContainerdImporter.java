package io.jurunc.builder.output;

import io.jurunc.builder.OutputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Imports an image into containerd: writes a temporary OCI archive, hands it to {@link Ctr}, removes it. */
public final class ContainerdImporter {
    private final Ctr ctr;
    private final Instant mtime;

    public ContainerdImporter(Ctr ctr, Instant mtime) {
        this.ctr = ctr;
        this.mtime = mtime;
    }

    public void importImage(BuiltImage image, Output.Containerd target, Path workDir) {
        Path archive = workDir.resolve("containerd-import.tar");
        try {
            new OciArchiveWriter(mtime).write(image, archive);
            ctr.importArchive(target.address(), target.namespace(), target.snapshotter(), archive);
        } finally {
            try {
                Files.deleteIfExists(archive);
            } catch (IOException e) {
                throw new OutputException("cannot remove " + archive, "remove it by hand", e);
            }
        }
    }
}
