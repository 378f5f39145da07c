package io.jurunc.builder.output;

import java.nio.file.Path;

/** The containerd boundary: import an OCI archive into an image store. */
public interface Ctr {
    /**
     * Imports {@code archive} (an OCI layout tar) into containerd at {@code address}, namespace
     * {@code namespace}, unpacking with {@code snapshotter} (null = containerd's default).
     */
    void importArchive(String address, String namespace, String snapshotter, Path archive);
}
