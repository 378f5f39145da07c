package io.jurunc.e2e.support;

import java.nio.file.Path;

/** Builds one of the test images (a Containerfile plus context) into an archive ctr can import. */
public interface ImageBuilder {

    /** The archive formats the tests import. */
    enum Format {
        OCI_ARCHIVE,
        DOCKER_ARCHIVE
    }

    /**
     * @param context   build context holding {@code Containerfile}
     * @param reference the image name, e.g. {@code jurunc.test/hello:latest}
     * @param out       the archive to write
     */
    void build(Path context, String reference, Format format, Path out);
}
